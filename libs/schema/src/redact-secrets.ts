/** `scheme://user:password@` in any text: the password is what must never be written anywhere. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi;

/** An API key as a header, field or query parameter: `X-API-Key: k`, `"x-mbx-apikey":"k"`, `api_key=k`. */
const API_KEY_FIELDS = /\b(x-api-key|x-mbx-apikey|api[_-]?key)(["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi;

/**
 * Replaces the passwords of URLs in `text` (`mysql://root:s3cret@db/x` → `mysql://root:***@db/x`),
 * and API keys given as headers or fields, so that a setting or an error message can be logged or shown.
 */
export function redactSecrets(text: string): string {
  return text.replace(URL_CREDENTIALS, '$1***@').replace(API_KEY_FIELDS, '$1$2***');
}
