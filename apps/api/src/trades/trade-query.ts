import { BadParameter } from '../candles/candle-query';

export const TRADE_FORMATS = ['json', 'csv', 'parquet'] as const;
export type TradeFormat = (typeof TRADE_FORMATS)[number];

/** A checked `GET /api/trades` request. */
export interface TradeQuery {
  readonly symbol: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly format: TradeFormat;
}

const SYMBOL = /^[A-Z0-9][A-Z0-9_-]{1,31}$/;

/** Checks the parameters; a wrong one throws a {@link BadParameter} naming it (400). */
export function parseTradeQuery(params: Record<string, unknown>, maxRangeMs: number): TradeQuery {
  const symbol = text(params, 'symbol');
  if (symbol === undefined || !SYMBOL.test(symbol)) throw new BadParameter('symbol', 'required: an upper-case Binance symbol like BTCUSDT');
  const fromMs = time(params, 'from');
  const toMs = time(params, 'to');
  if (toMs <= fromMs) throw new BadParameter('to', 'must be after from');
  if (toMs - fromMs > maxRangeMs) throw new BadParameter('to', `the range may span at most ${maxRangeMs} ms (LAKE_TRADES_MAX_RANGE_MS)`);
  const format = (text(params, 'format') ?? 'json') as TradeFormat;
  if (!TRADE_FORMATS.includes(format)) throw new BadParameter('format', `one of ${TRADE_FORMATS.join(', ')}`);
  return { symbol, fromMs, toMs, format };
}

function text(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new BadParameter(name, 'given more than once');
  return value;
}

/** Epoch milliseconds or an ISO-8601 time. */
function time(params: Record<string, unknown>, name: string): number {
  const value = text(params, name);
  if (value === undefined) throw new BadParameter(name, 'required: epoch milliseconds or an ISO-8601 time');
  const ms = /^\d{1,15}$/.test(value) ? Number(value) : /^\d{4}-\d\d-\d\d/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new BadParameter(name, 'epoch milliseconds or an ISO-8601 time');
  return ms;
}
