import { jsonObjectOf } from './json-object';

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

/**
 * The letter encoded with its payload cut to {@link MAX_DEAD_LETTER_PAYLOAD}, then to
 * {@link SHORT_DEAD_LETTER_PAYLOAD} characters, keeping those that `fits` (within the dead-letter
 * topic's `max.message.bytes`), longest first and each only when asked for: a sender sends the
 * first, and the next if the broker refuses it all the same. None when even the short one does not fit.
 */
export function* fittedDeadLetters(letter: DeadLetter, fits: (value: string) => boolean): Generator<string, void, undefined> {
  for (const maxPayload of [MAX_DEAD_LETTER_PAYLOAD, SHORT_DEAD_LETTER_PAYLOAD]) {
    const value = encodeDeadLetter(withPayloadCut(letter, maxPayload));
    if (fits(value)) yield value;
  }
}

const ORIGIN_TEXT = ['topic', 'offset', 'stream'] as const;

/**
 * Reads a dead letter from a Kafka message value; returns the reason as a string when it is not
 * one. Fields beyond the letter's are tolerated.
 */
export function decodeDeadLetter(value: Buffer | string | null): DeadLetter | string {
  const letter = jsonObjectOf(value);
  if (typeof letter === 'string') return letter;
  for (const field of ['reason', 'payload', 'rejectedBy'] as const) {
    if (typeof letter[field] !== 'string') return `${field}: not a string`;
  }
  if (!Number.isSafeInteger(letter['rejectedAtMs'])) return 'rejectedAtMs: not an integer';
  const origin = letter['origin'];
  if (origin !== undefined) {
    if (typeof origin !== 'object' || origin === null || Array.isArray(origin)) return 'origin: not an object';
    const where = origin as Record<string, unknown>;
    for (const field of ORIGIN_TEXT) {
      if (where[field] !== undefined && typeof where[field] !== 'string') return `origin.${field}: not a string`;
    }
    if (where['partition'] !== undefined && !Number.isSafeInteger(where['partition'])) return 'origin.partition: not an integer';
  }
  return letter as unknown as DeadLetter;
}
