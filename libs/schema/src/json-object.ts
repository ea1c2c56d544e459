/**
 * A Kafka message value read as a JSON object, or why it is not one (`empty message`, `not JSON`,
 * `not a JSON object`): the first step of every decoder of the topics' records.
 */
export function jsonObjectOf(value: Buffer | string | null): Record<string, unknown> | string {
  if (value === null || value.length === 0) return 'empty message';
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString());
  } catch {
    return 'not JSON';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'not a JSON object';
  return parsed as Record<string, unknown>;
}
