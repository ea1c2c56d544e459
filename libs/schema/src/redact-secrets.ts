/** `scheme://user:password@` in any text: the password is what must never be written anywhere. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi;

/**
 * Replaces the passwords of URLs in `text` (`mysql://root:s3cret@db/x` → `mysql://root:***@db/x`),
 * so that a setting or an error message can be logged or shown.
 */
export function redactSecrets(text: string): string {
  return text.replace(URL_CREDENTIALS, '$1***@');
}
