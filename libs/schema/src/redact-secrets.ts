/** `scheme://user:password@` in any text: the password is what must never be written anywhere. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi;

/** An API key as a header, field or query parameter: `X-API-Key: k`, `"x-mbx-apikey":"k"`, `api_key=k`. */
const API_KEY_FIELDS = /\b(x-api-key|x-mbx-apikey|api[_-]?key)(["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi;

/** `KAFKA_SASL_PASSWORD=…`, `MYSQL_PASSWORD: …`, `password="…"` (JAAS), `"password":"…"` (JSON). */
const PASSWORD_ASSIGNMENTS = /(\b[A-Z_]*PASSWORD\s*[=:]\s*"?|"password"\s*:\s*")([^\s"',;]+)/gi;

/** The secrets this process holds (passwords read from files, keys): never written, wherever they appear. */
const knownSecrets = new Set<string>();

/**
 * Marks `value` as a secret of this process (a password read from a `*_PASSWORD_FILE`, a key):
 * {@link redactSecrets} replaces it wherever it appears in a text from then on. Values shorter
 * than 4 characters are not registered, as they would match ordinary text.
 */
export function registerSecret(value: string): void {
  if (value.length >= 4) knownSecrets.add(value);
}

/**
 * Replaces the secrets in `text`: passwords of URLs (`mysql://root:s3cret@db/x` →
 * `mysql://root:***@db/x`), API keys given as headers or fields, values of password settings
 * and fields, and every value registered with {@link registerSecret}, so that a setting or an error message can be logged or shown.
 */
export function redactSecrets(text: string): string {
  let redacted = text.replace(URL_CREDENTIALS, '$1***@').replace(API_KEY_FIELDS, '$1$2***').replace(PASSWORD_ASSIGNMENTS, '$1***');
  for (const secret of knownSecrets) if (redacted.includes(secret)) redacted = redacted.split(secret).join('***');
  return redacted;
}
