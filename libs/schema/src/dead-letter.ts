/**
 * What the dead-letter topic carries: the untouched payload, why it was rejected, and where it
 * came from, so that an operator can fix and replay it.
 */
export interface DeadLetter {
  readonly reason: string;
  /** The original payload as text (invalid UTF-8 is replaced, never dropped). */
  readonly payload: string;
  /** Which component rejected it: `ingestor` or `aggregator`. */
  readonly rejectedBy: string;
  readonly rejectedAtMs: number;
  /** Where the payload was read: a Binance stream name, a Kafka topic/partition/offset, a file. */
  readonly origin?: { readonly topic?: string; readonly partition?: number; readonly offset?: string; readonly stream?: string };
}

/** Serializes a dead letter as the JSON value of a Kafka message. */
export function encodeDeadLetter(letter: DeadLetter): string {
  return JSON.stringify(letter);
}

/** Dead-letter payloads are cut to this many characters: a letter stays far below Kafka's 1 MB limit. */
export const MAX_DEAD_LETTER_PAYLOAD = 16_384;
/** …and to this many when the dead-letter topic takes less (a smaller `max.message.bytes`). */
export const SHORT_DEAD_LETTER_PAYLOAD = 1_024;

/** The letter with its payload cut to `maxPayload` characters, its reason saying so; as it is when shorter. */
export function withPayloadCut(letter: DeadLetter, maxPayload = MAX_DEAD_LETTER_PAYLOAD): DeadLetter {
  if (letter.payload.length <= maxPayload) return letter;
  return { ...letter, reason: `${letter.reason} (payload of ${letter.payload.length} characters cut to ${maxPayload})`, payload: letter.payload.slice(0, maxPayload) };
}
