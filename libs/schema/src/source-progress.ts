import { MAX_EVENT_TIME_MS, MIN_EVENT_TIME_MS } from './price-message.dto';

/**
 * A source-progress record on `crypto_prices`: the ingestor's word, per symbol, on how far that
 * symbol's trades are complete — the watermark a Flink source would emit, carried in band.
 *
 * ```json
 * {"kind":"progress","symbol":"TRXUSDT","completeUpToMs":1700000059000,"state":"live","atMs":1700000060000}
 * ```
 *
 * - `completeUpToMs`: every trade of `symbol` with event time < completeUpToMs was published
 *   before this record. It never goes back for one ingestor.
 * - `state`: `live` while the symbol's trades arrive in sequence; `recovering` while a gap is
 *   being filled (reconnect, skipped id, restart): completeUpToMs then stays where the gap began.
 * - `atMs`: when the ingestor wrote the record, in the exchange's time (its wall time minus the
 *   delay of the newest trade it received), comparable to event times. Records keep coming (every
 *   `SOURCE_PROGRESS_INTERVAL_MS`) in quiet markets and while recovering, so a consumer that
 *   stops seeing them knows the source itself is gone, not just quiet.
 *
 * Keyed by symbol like the trades, so it lands on the trades' partition, after them. `kind` is
 * the first key: a consumer that wants trades only tells the two apart from the first bytes
 * ({@link isSourceProgressRecord}); a price message never has a `kind`.
 */
export interface SourceProgress {
  readonly kind: 'progress';
  readonly symbol: string;
  readonly completeUpToMs: number;
  readonly state: SourceProgressState;
  readonly atMs: number;
}

export const SOURCE_PROGRESS_STATES = ['live', 'recovering'] as const;
export type SourceProgressState = (typeof SOURCE_PROGRESS_STATES)[number];

const PREFIX = '{"kind":"progress"';
const SYMBOL = /^[A-Z0-9][A-Z0-9_-]{1,31}$/;

/** The record as the JSON value of a Kafka message, `kind` first. */
export function encodeSourceProgress(progress: Omit<SourceProgress, 'kind'>): string {
  const { symbol, completeUpToMs, state, atMs } = progress;
  return `${PREFIX},"symbol":${JSON.stringify(symbol)},"completeUpToMs":${completeUpToMs},"state":"${state}","atMs":${atMs}}`;
}

/**
 * Whether a raw message is a source-progress record (valid or not): JSON whose first key is
 * `"kind":"progress"`. Costs a prefix comparison, so trade consumers can skip such records first.
 */
export function isSourceProgressRecord(raw: string | Buffer | null | undefined): boolean {
  if (raw === null || raw === undefined || raw.length < PREFIX.length) return false;
  // Byte 2 is `k` only for a `{"k…` object: price messages start with `{"symbol"`.
  if (typeof raw === 'string') return raw.startsWith(PREFIX);
  return raw[2] === 0x6b && raw.toString('latin1', 0, PREFIX.length) === PREFIX;
}

/**
 * Parses and checks a source-progress record. Returns it, or the reason it is invalid (for the
 * dead-letter topic). Call only on what {@link isSourceProgressRecord} accepted.
 */
export function parseSourceProgress(raw: string | Buffer): SourceProgress | string {
  let value: unknown;
  try {
    value = JSON.parse(typeof raw === 'string' ? raw : raw.toString());
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const { kind, symbol, completeUpToMs, state, atMs } = value as Record<string, unknown>;
  if (kind !== 'progress') return 'kind must be "progress"';
  if (typeof symbol !== 'string' || !SYMBOL.test(symbol)) return 'symbol must be an upper-case Binance symbol like BTCUSDT';
  if (!isEventTime(completeUpToMs)) return `completeUpToMs must be an integer epoch time in ms from ${MIN_EVENT_TIME_MS} to ${MAX_EVENT_TIME_MS}`;
  if (state !== 'live' && state !== 'recovering') return 'state must be "live" or "recovering"';
  if (!isEventTime(atMs)) return `atMs must be an integer epoch time in ms from ${MIN_EVENT_TIME_MS} to ${MAX_EVENT_TIME_MS}`;
  return { kind, symbol, completeUpToMs, state, atMs };
}

function isEventTime(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= MIN_EVENT_TIME_MS && (value as number) <= MAX_EVENT_TIME_MS;
}
