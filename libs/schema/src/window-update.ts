import type { CandleFigures } from './candle';
import { DECIMAL_STRING } from './decimal-string';
import { jsonObjectOf } from './json-object';

/** Where the aggregator publishes window updates for readers (the API), keyed by symbol. */
export const CRYPTO_WINDOWS_TOPIC = 'crypto_windows';

/**
 * One state of one window, as the aggregator publishes it to {@link CRYPTO_WINDOWS_TOPIC}:
 * `closed: false` while the window is open (throttled, at most about once a second per window),
 * then `closed: true` once, after MySQL holds the final row. Decimals are exact strings; times
 * epoch ms; the window is `[startMs, endMs)`.
 */
export interface WindowUpdate extends CandleFigures {
  readonly windowSizeMs: number;
  readonly eventCount: number;
  readonly closed: boolean;
  /** The window's first and last exchange trade id (Binance's `f` and `L`); null without trade ids or from older aggregators. */
  readonly firstTradeId?: number | null;
  readonly lastTradeId?: number | null;
  /** Wall time the aggregator published it: readers measure delivery latency from it. */
  readonly publishedAtMs: number;
}

/** Serializes an update as the JSON value of a Kafka message. */
export function encodeWindowUpdate(update: WindowUpdate): string {
  return JSON.stringify(update);
}

const DECIMALS = ['open', 'high', 'low', 'close', 'averagePrice'] as const;
const NULLABLE_DECIMALS = ['volume', 'quoteVolume', 'baseVolume', 'vwap'] as const;
/** Absent from the updates of an aggregator from before they were kept: read as null (unknown). */
const TAKER_BUY_DECIMALS = ['takerBuyVolume', 'takerBuyQuoteVolume', 'takerBuyBaseVolume'] as const;
const INTEGERS = ['windowSizeMs', 'startMs', 'endMs', 'eventCount', 'revision', 'publishedAtMs'] as const;

/**
 * Reads an update from a Kafka message value; returns the reason as a string when it is not one
 * (a reader skips and counts such messages instead of crashing on them).
 */
export function decodeWindowUpdate(value: Buffer | string | null): WindowUpdate | string {
  const update = jsonObjectOf(value);
  if (typeof update === 'string') return update;
  if (typeof update['symbol'] !== 'string' || !/^[A-Z0-9][A-Z0-9_-]{1,31}$/.test(update['symbol'])) return 'symbol: not a symbol';
  for (const field of DECIMALS) {
    const text = update[field];
    if (typeof text !== 'string' || !DECIMAL_STRING.test(text)) return `${field}: not a decimal string`;
  }
  for (const field of NULLABLE_DECIMALS) {
    const text = update[field];
    if (text !== null && (typeof text !== 'string' || !DECIMAL_STRING.test(text))) return `${field}: not a decimal string or null`;
  }
  for (const field of TAKER_BUY_DECIMALS) {
    const text = update[field];
    if (text === undefined) update[field] = null;
    else if (text !== null && (typeof text !== 'string' || !DECIMAL_STRING.test(text))) return `${field}: not a decimal string or null`;
  }
  for (const field of INTEGERS) {
    if (!Number.isSafeInteger(update[field])) return `${field}: not an integer`;
  }
  if (update['tradeCount'] !== null && !Number.isSafeInteger(update['tradeCount'])) return 'tradeCount: not an integer or null';
  for (const field of ['firstTradeId', 'lastTradeId']) {
    if (update[field] === undefined) update[field] = null;
    else if (update[field] !== null && !Number.isSafeInteger(update[field])) return `${field}: not an integer or null`;
  }
  if (update['source'] !== 'trades' && update['source'] !== 'ticker') return 'source: not trades or ticker';
  if (typeof update['closed'] !== 'boolean') return 'closed: not true or false';
  return update as unknown as WindowUpdate;
}
