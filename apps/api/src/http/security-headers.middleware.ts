import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

type ContentSecurityPolicy = Record<string, string[]>;

/** SHA-256 of the `<style>` lightweight-charts 5.2 writes for its attribution logo (`a#tv-attr-logo{…}`). */
const LIGHTWEIGHT_CHARTS_LOGO_STYLE = 'sha256-3pRED1tOXas1FXFoPb9TGCjmYe9XQsmO9OV23khV2nY=';

/**
 * The dashboard's policy: its own script, style sheet and API, nothing inline, nothing from
 * elsewhere, never framed; the one inline style allowed, by its hash, is the style sheet
 * lightweight-charts adds for TradingView's attribution logo (its licence asks for the
 * attribution; the browser test fails when a new version changes the sheet). `data:` images are
 * its empty favicon. Helmet's default
 * `upgrade-insecure-requests` is left out: on a plain-HTTP deployment (as local runs are) it would
 * send the page's own requests to an https port nobody listens on.
 */
export const DASHBOARD_CSP: ContentSecurityPolicy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", `'${LIGHTWEIGHT_CHARTS_LOGO_STYLE}'`],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** Swagger UI's page carries inline style blocks and data: images; its scripts are files. */
const DOCS_CSP: ContentSecurityPolicy = { ...DASHBOARD_CSP, styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'] };

const headersWith = (directives: ContentSecurityPolicy) => helmet({ contentSecurityPolicy: { useDefaults: false, directives } });

/** Helmet's security headers on every answer, with the dashboard's CSP (Swagger UI's under /api/docs). */
export function securityHeaders() {
  const site = headersWith(DASHBOARD_CSP);
  const docs = headersWith(DOCS_CSP);
  return (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void): void => {
    const docsPage = request.url?.startsWith('/api/docs') === true && !request.url.startsWith('/api/docs-json');
    (docsPage ? docs : site)(request, response, next);
  };
}
