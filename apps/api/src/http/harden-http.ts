import type { INestApplication } from '@nestjs/common';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { ApiConfig } from '../config/api.config';
import { ApiClients } from '../access/api-clients';
import { RateLimits } from '../access/rate-limits';
import { ApiMetrics } from '../metrics/api.metrics';
import { corsOptions } from './cors';
import { refuseLongUrls } from './long-url.middleware';
import { limitHttpServer } from './http-server-limits';
import { securityHeaders } from './security-headers.middleware';

/**
 * What guards the API below Nest's routes, for every path (the OpenAPI UI and unknown routes
 * included): the server's timeouts and head limit, the URL limit, a quick 429 for clients over
 * their rate limit, security headers, the OpenAPI UI's rate limit and CORS.
 * Called before the OpenAPI UI is mounted and before `listen`.
 */
export function hardenHttp(app: INestApplication, config: ApiConfig): void {
  const metrics = app.get(ApiMetrics);
  limitHttpServer(app.getHttpServer() as Server, config.http, metrics);
  app.use(refuseLongUrls(config.http.maxUrlBytes, metrics));
  const [rateLimits, clients] = [app.get(RateLimits), app.get(ApiClients)];
  app.use(rateLimits.refuseLimited(clients));
  app.use(securityHeaders());
  // The OpenAPI UI is mounted below Nest's guards: it gets the clients' rate limit here.
  const rateLimited = rateLimits.middleware(clients);
  app.use((request: IncomingMessage, response: ServerResponse, next: () => void) => (request.url?.startsWith('/api/docs') ? rateLimited(request, response, next) : next()));
  const cors = corsOptions(config.access.corsOrigins);
  if (cors) app.enableCors(cors);
}
