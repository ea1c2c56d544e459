/**
 * Kafka error codes that refuse a message for its content: sending it again cannot succeed,
 * unlike a broker that is down or a leader that moved (those kafkajs retries, then the batcher).
 */
const REFUSING_TYPES: ReadonlySet<string> = new Set([
  'MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD', 'INVALID_TIMESTAMP', 'CORRUPT_MESSAGE',
]);

/** Why the broker refused a send for its data (`MESSAGE_TOO_LARGE: …`), or undefined otherwise. */
export function refusalOf(error: unknown): string | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const type = (cause as { type?: unknown }).type;
    if (typeof type === 'string' && REFUSING_TYPES.has(type)) return `${type}: ${cause.message}`;
  }
  return undefined;
}

/**
 * Sends `messages`; when the broker refuses them for their data, sends each half apart, down to
 * single messages, so that one refused message does not hold back the others. Order is kept (halves
 * go one after the other). Each refused message goes to `onRefused` with the reason; any other error
 * is thrown (the caller retries). `onSent` hears of every part that went through.
 */
export async function sendIsolatingRefused<T>(
  messages: readonly T[],
  send: (part: readonly T[]) => Promise<void>,
  onRefused: (message: T, reason: string) => Promise<void>,
  onSent: (part: readonly T[]) => void = () => undefined,
): Promise<void> {
  if (messages.length === 0) return;
  try {
    await send(messages);
  } catch (error) {
    const reason = refusalOf(error);
    if (reason === undefined) throw error;
    if (messages.length === 1) {
      await onRefused(messages[0], reason);
      onSent(messages);
      return;
    }
    const middle = Math.ceil(messages.length / 2);
    await sendIsolatingRefused(messages.slice(0, middle), send, onRefused, onSent);
    await sendIsolatingRefused(messages.slice(middle), send, onRefused, onSent);
    return;
  }
  onSent(messages);
}
