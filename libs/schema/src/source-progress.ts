import { MAX_EVENT_TIME_MS, MIN_EVENT_TIME_MS } from './price-message.dto';

/**
 * A source-progress record on `crypto_prices`: the ingestor's word, per symbol, on how far that
 * symbol's trades are complete — the watermark a Flink source would emit, carried in band. Two
 * forms (schema versions 1 and 2), both read by every consumer:
 *
 * ```json
 * {"kind":"progress","symbol":"TRXUSDT","completeUpToMs":1700000059000,"state":"live","atMs":1700000060000}
 * {"kind":"progress","atMs":1700000060000,"live":{"TRXUSDT":1700000059000,"BTCUSDT":1700000059012},"recovering":{"ETHUSDT":1700000041000}}
 * ```
 *
 * - `completeUpToMs` (a symbol's, in `live` or `recovering`): every trade of the symbol with
 *   event time < completeUpToMs was published on the record's partition before this record. It
 *   never goes back for one ingestor.
 * - `state` (or which map holds the symbol): `live` while the symbol's trades arrive in
 *   sequence; `recovering` while a gap is being filled (reconnect, skipped id, restart):
 *   completeUpToMs then stays where the gap began.
 * - `atMs`: when the ingestor wrote the record, in the exchange's time (its wall time minus the
 *   delay of the newest trade it received), comparable to event times. Records keep coming (every
 *   `SOURCE_PROGRESS_INTERVAL_MS`) in quiet markets and while recovering, so a consumer that
 *   stops seeing them knows the source itself is gone, not just quiet.
 *
 * The first form (one symbol) is keyed by the symbol like the trades, so it lands on the trades'
 * partition, after them. The second (since version 2, what the ingestor writes) covers the
 * symbols whose trades one partition carries, sent to that partition explicitly (the producer's
 * partitioner applied to each symbol): one record per partition and interval instead of one per
 * symbol. `kind` is the first key: a consumer that wants trades only tells them apart from the
 * first bytes ({@link isSourceProgressRecord}); a price message never has a `kind`.
 */
export interface SourceProgress {
  readonly kind: 'progress';
  readonly symbol: string;
  readonly completeUpToMs: number;
  readonly state: SourceProgressState;
  readonly atMs: number;
}

/** One symbol's part of a record of the second form. */
export type SymbolProgress = Pick<SourceProgress, 'symbol' | 'completeUpToMs' | 'state'>;

export const SOURCE_PROGRESS_STATES = ['live', 'recovering'] as const;
export type SourceProgressState = (typeof SOURCE_PROGRESS_STATES)[number];

const PREFIX = '{"kind":"progress"';
const SYMBOL = /^[A-Z0-9][A-Z0-9_-]{1,31}$/;

/** A record of the first form (one symbol, schema version 1) as the JSON value of a Kafka message, `kind` first. */
export function encodeSourceProgress(progress: Omit<SourceProgress, 'kind'>): string {
  const { symbol, completeUpToMs, state, atMs } = progress;
  return `${PREFIX},"symbol":${JSON.stringify(symbol)},"completeUpToMs":${completeUpToMs},"state":"${state}","atMs":${atMs}}`;
}

/**
 * A record of the second form (the symbols of one partition) as the JSON value of a Kafka
 * message, `kind` first; each symbol in `live` or `recovering` by its state.
 */
export function encodeSourceProgressOfSymbols(atMs: number, symbols: readonly SymbolProgress[]): string {
  let live = '';
  let recovering = '';
  for (const { symbol, completeUpToMs, state } of symbols) {
    const entry = `${JSON.stringify(symbol)}:${completeUpToMs}`;
    if (state === 'live') live += live === '' ? entry : `,${entry}`;
    else recovering += recovering === '' ? entry : `,${entry}`;
  }
  const maps: string[] = [];
  if (live !== '' || recovering === '') maps.push(`"live":{${live}}`);
  if (recovering !== '') maps.push(`"recovering":{${recovering}}`);
  return `${PREFIX},"atMs":${atMs},${maps.join(',')}}`;
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
 * Parses and checks a source-progress record of either form. Returns each symbol's word in it
 * (one for the first form), or the reason it is invalid (for the dead-letter topic). Call only on
 * what {@link isSourceProgressRecord} accepted.
 */
export function parseSourceProgress(raw: string | Buffer): readonly SourceProgress[] | string {
  let value: unknown;
  try {
    value = JSON.parse(typeof raw === 'string' ? raw : raw.toString());
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const { kind, symbol, completeUpToMs, state, atMs, live, recovering } = value as Record<string, unknown>;
  if (kind !== 'progress') return 'kind must be "progress"';
  if (!isEventTime(atMs)) return `atMs must be an integer epoch time in ms from ${MIN_EVENT_TIME_MS} to ${MAX_EVENT_TIME_MS}`;
  const oneSymbol = symbol !== undefined || completeUpToMs !== undefined || state !== undefined;
  if (oneSymbol && (live !== undefined || recovering !== undefined)) return 'a record has either symbol, completeUpToMs and state or live and recovering, not both';
  if (oneSymbol) {
    if (typeof symbol !== 'string' || !SYMBOL.test(symbol)) return 'symbol must be an upper-case Binance symbol like BTCUSDT';
    if (!isEventTime(completeUpToMs)) return `completeUpToMs must be an integer epoch time in ms from ${MIN_EVENT_TIME_MS} to ${MAX_EVENT_TIME_MS}`;
    if (state !== 'live' && state !== 'recovering') return 'state must be "live" or "recovering"';
    return [{ kind, symbol, completeUpToMs, state, atMs }];
  }
  if (live === undefined && recovering === undefined) return 'a record needs symbol, completeUpToMs and state, or live or recovering';
  const progress: SourceProgress[] = [];
  const liveReason = symbolsOf(live, 'live', atMs, progress);
  if (liveReason !== undefined) return liveReason;
  const count = progress.length;
  const recoveringReason = symbolsOf(recovering, 'recovering', atMs, progress);
  if (recoveringReason !== undefined) return recoveringReason;
  if (count > 0 && progress.length > count) {
    const inLive = new Set(progress.slice(0, count).map((each) => each.symbol));
    const twice = progress.slice(count).find((each) => inLive.has(each.symbol));
    if (twice !== undefined) return `${twice.symbol} is both live and recovering`;
  }
  return progress;
}

/** Adds the symbols of a record's `live` or `recovering` (absent: none) to `into`, or says why it is invalid. */
function symbolsOf(map: unknown, state: SourceProgressState, atMs: number, into: SourceProgress[]): string | undefined {
  if (map === undefined) return undefined;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) return `${state} must be an object of symbol → completeUpToMs`;
  for (const [symbol, completeUpToMs] of Object.entries(map)) {
    if (!SYMBOL.test(symbol)) return `${state}: ${JSON.stringify(symbol.slice(0, 40))} is not an upper-case Binance symbol like BTCUSDT`;
    if (!isEventTime(completeUpToMs)) return `${state}: ${symbol}'s completeUpToMs must be an integer epoch time in ms from ${MIN_EVENT_TIME_MS} to ${MAX_EVENT_TIME_MS}`;
    into.push({ kind: 'progress', symbol, completeUpToMs, state, atMs });
  }
  return undefined;
}

function isEventTime(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= MIN_EVENT_TIME_MS && (value as number) <= MAX_EVENT_TIME_MS;
}
