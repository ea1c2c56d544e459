import type { Interval } from '../config/api.config';
import { BinanceError } from './binance-error';
import { BinanceMarket, DEFAULT_KLINE_LIMIT } from './binance-markets';

/** `GET …/klines` parameters, checked as Binance checks them. */
export interface KlineRequest {
  readonly symbol: string;
  readonly interval: Interval;
  /** Inclusive bounds on the kline open time, epoch ms. */
  readonly startTimeMs?: number;
  readonly endTimeMs?: number;
  readonly limit: number;
}

type Params = Readonly<Record<string, unknown>>;
const SYMBOL = /^[A-Z0-9][A-Z0-9_-]{1,31}$/;
const LONG = /^[0-9]{1,20}$/;
const INTERVAL = /^[0-9]{1,3}[smhdwM]$/;

/**
 * Reads `symbol`, `interval`, `startTime`, `endTime`, `limit` as Binance does: symbol and
 * interval mandatory (case-sensitive: `trxusdt` has illegal characters), times epoch ms, limit 1 to the market's maximum
 * (default 500). A wrong one throws {@link BinanceError} with Binance's code.
 */
export function parseKlineRequest(params: Params, market: BinanceMarket, intervals: readonly Interval[], isServed: (symbol: string) => boolean): KlineRequest {
  const symbol = text(params, 'symbol', SYMBOL);
  if (symbol === undefined) throw BinanceError.mandatory('symbol');
  if (!SYMBOL.test(symbol)) throw BinanceError.illegalCharacters('symbol', SYMBOL.source);
  if (!isServed(symbol)) throw BinanceError.invalidSymbol();
  const label = text(params, 'interval', INTERVAL);
  if (label === undefined) throw BinanceError.mandatory('interval');
  const interval = intervals.find((candidate) => candidate.label === label);
  if (interval === undefined) throw BinanceError.invalidInterval();
  const startTimeMs = long(params, 'startTime');
  const endTimeMs = long(params, 'endTime');
  if (startTimeMs !== undefined && endTimeMs !== undefined && startTimeMs > endTimeMs) throw BinanceError.startAfterEnd();
  const limit = long(params, 'limit') ?? DEFAULT_KLINE_LIMIT;
  if (limit < 1 || limit > market.maxLimit) throw BinanceError.invalidValue('limit');
  return { symbol, interval, startTimeMs, endTimeMs, limit };
}

function text(params: Params, name: string, legal: RegExp): string | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  // A parameter sent twice arrives as an array: Binance takes neither.
  if (typeof value !== 'string') throw BinanceError.illegalCharacters(name, legal.source);
  return value;
}

function long(params: Params, name: string): number | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !LONG.test(value)) throw BinanceError.illegalCharacters(name, LONG.source);
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw BinanceError.invalidValue(name);
  return number;
}
