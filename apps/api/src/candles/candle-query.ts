import type { CandlePageQuery } from '@cryptostream/persistence';
import type { Interval } from '../config/api.config';

/** The most candles one page holds, as Binance's klines. */
export const MAX_LIMIT = 1000;
export const DEFAULT_LIMIT = 500;
const SYMBOL = /^[A-Z0-9][A-Z0-9_-]{1,31}$/;

/** A query parameter that is missing or wrong: the API answers 400 naming it. */
export class BadParameter extends Error {
  constructor(
    readonly parameter: string,
    problem: string,
  ) {
    super(`${parameter}: ${problem}`);
  }
}

export interface CandleRequest {
  readonly interval: Interval;
  readonly query: CandlePageQuery;
}

type Params = Readonly<Record<string, unknown>>;

/**
 * Checks `GET /api/candles` parameters and turns them into one page query. Without `from` the
 * page holds the newest candles before `to` (or now); with `from`, the oldest from it on. A
 * `cursor` (the `next` of an earlier page, with the same other parameters) continues in the same
 * direction from where that page ended.
 */
export function parseCandleRequest(params: Params, intervals: readonly Interval[]): CandleRequest {
  const symbol = parseSymbol(params);
  const interval = parseInterval(params, intervals);
  const fromMs = epochMs(params, 'from');
  const toMs = epochMs(params, 'to');
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) throw new BadParameter('to', `must be after from (${fromMs}), got ${toMs}`);
  const limit = params['limit'] === undefined ? DEFAULT_LIMIT : wholeNumber(params, 'limit', 1, MAX_LIMIT);
  const base: CandlePageQuery = { symbol, windowSize: interval.label, direction: fromMs === undefined ? 'backward' : 'forward', fromMs, toMs, limit };
  const cursor = params['cursor'];
  if (cursor === undefined) return { interval, query: base };
  const position = decodeCursor(String(cursor));
  if (position.direction === 'forward') return { interval, query: { ...base, direction: 'forward', fromMs: position.startMs } };
  return { interval, query: { ...base, direction: 'backward', toMs: position.startMs } };
}

export function parseSymbol(params: Params): string {
  const symbol = params['symbol'];
  if (symbol === undefined || symbol === '') throw new BadParameter('symbol', 'is required, a symbol like BTCUSDT');
  if (typeof symbol !== 'string' || !SYMBOL.test(symbol)) {
    throw new BadParameter('symbol', `must be a symbol like BTCUSDT (upper-case letters, digits, _ and -), got ${JSON.stringify(symbol)}`);
  }
  return symbol;
}

/** The `interval` asked for, or the smallest one served when none is given. */
export function parseInterval(params: Params, intervals: readonly Interval[]): Interval {
  const label = params['interval'];
  if (label === undefined || label === '') return intervals[0];
  const interval = intervals.find((candidate) => candidate.label === label);
  if (!interval) throw new BadParameter('interval', `must be one of ${intervals.map((i) => i.label).join(', ')}, got ${JSON.stringify(label)}`);
  return interval;
}

function epochMs(params: Params, name: string): number | undefined {
  if (params[name] === undefined) return undefined;
  return wholeNumber(params, name, 0, 8_640_000_000_000, 'epoch milliseconds');
}

function wholeNumber(params: Params, name: string, min: number, max: number, unit = 'a whole number'): number {
  const text = String(params[name]);
  const value = Number(text);
  if (!/^\d{1,16}$/.test(text) || value < min || value > max) throw new BadParameter(name, `must be ${unit} from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return value;
}

/** Where the next page starts: after (forward) or before (backward) a window start. */
export interface CursorPosition {
  readonly direction: 'forward' | 'backward';
  readonly startMs: number;
}

/** `f1741046460000` / `b1741046400000`: short, and opaque enough for clients to pass back. */
export function encodeCursor(position: CursorPosition): string {
  return `${position.direction === 'forward' ? 'f' : 'b'}${position.startMs}`;
}

function decodeCursor(text: string): CursorPosition {
  const match = /^([fb])(\d{1,16})$/.exec(text);
  if (!match) throw new BadParameter('cursor', `must be the "next" value of an earlier page, got ${JSON.stringify(text)}`);
  return { direction: match[1] === 'f' ? 'forward' : 'backward', startMs: Number(match[2]) };
}
