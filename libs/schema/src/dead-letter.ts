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
