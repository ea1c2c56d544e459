import { MarketTrade, readTradeFile } from '@cryptostream/market-data';

/** One recording the fake serves, optionally under another symbol name. */
export interface RecordingSpec {
  readonly file: string;
  /** Serve the recording as this symbol (to fake more symbols than there are recordings). */
  readonly symbol?: string;
}

/** An aggregate trade as Binance forms it: consecutive fills of one taker at one price and ms. */
export interface FakeAggTrade {
  readonly a: number;
  readonly p: string;
  readonly q: string;
  readonly f: number;
  readonly l: number;
  readonly T: number;
  readonly E: number;
  readonly m: boolean;
}

/** The recorded trades and aggregate trades of one symbol, in id order. */
export interface SymbolTape {
  readonly symbol: string;
  readonly trades: readonly MarketTrade[];
  readonly aggTrades: readonly FakeAggTrade[];
}

/**
 * Reads the recordings into tapes. Aggregate ids are made up (Binance's are not in a trade
 * recording): contiguous from `firstAggId`, as Binance's are per symbol.
 */
export async function loadTapes(recordings: readonly RecordingSpec[], firstAggId = 1_000_000): Promise<SymbolTape[]> {
  const tapes: SymbolTape[] = [];
  for (const recording of recordings) {
    const trades: MarketTrade[] = [];
    for await (const line of readTradeFile(recording.file)) {
      if (line.ok) trades.push(recording.symbol ? { ...line.trade, symbol: recording.symbol } : line.trade);
    }
    if (trades.length === 0) throw new Error(`${recording.file}: no trades`);
    trades.sort((x, y) => x.tradeId - y.tradeId);
    tapes.push({ symbol: trades[0].symbol, trades, aggTrades: aggregate(trades, firstAggId) });
  }
  return tapes;
}

/**
 * Groups consecutive trades with the same price, taker side and trade time into aggregate
 * trades. Zero-price fills (not market trades) are left out, as they are from Binance's klines.
 */
export function aggregate(trades: readonly MarketTrade[], firstAggId: number): FakeAggTrade[] {
  const result: FakeAggTrade[] = [];
  for (const trade of trades) {
    if (!/[1-9]/.test(trade.price)) continue;
    const last = result.at(-1);
    if (last && last.p === trade.price && last.m === trade.isBuyerMaker && last.T === trade.tradeTimeMs && last.l === trade.tradeId - 1) {
      const sum = addDecimal(last.q, trade.quantity);
      result[result.length - 1] = { ...last, q: sum, l: trade.tradeId, E: trade.eventTimeMs ?? trade.tradeTimeMs };
      continue;
    }
    result.push({
      a: firstAggId + result.length,
      p: trade.price,
      q: trade.quantity,
      f: trade.tradeId,
      l: trade.tradeId,
      T: trade.tradeTimeMs,
      E: trade.eventTimeMs ?? trade.tradeTimeMs,
      m: trade.isBuyerMaker,
    });
  }
  return result;
}

/** Exact sum of two non-negative decimal strings. */
export function addDecimal(x: string, y: string): string {
  const scale = Math.max(fractionDigits(x), fractionDigits(y));
  return formatUnits(toUnits(x, scale) + toUnits(y, scale), scale);
}

export function fractionDigits(value: string): number {
  const dot = value.indexOf('.');
  return dot < 0 ? 0 : value.length - dot - 1;
}

/** The decimal as an integer number of 10^-scale units. */
export function toUnits(value: string, scale: number): bigint {
  const [whole, fraction = ''] = value.split('.');
  return BigInt(whole + fraction.padEnd(scale, '0').slice(0, scale));
}

/** Formats 10^-scale units as a decimal string with exactly `scale` fraction digits. */
export function formatUnits(units: bigint, scale: number): string {
  const text = units.toString().padStart(scale + 1, '0');
  return scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`;
}

/**
 * The tapes moved in time by `shiftMs` (trade, event and aggregate times). With a whole number of
 * minutes the minute boundaries, hence the klines, stay those of the recording.
 */
export function shiftTapes(tapes: readonly SymbolTape[], shiftMs: number): SymbolTape[] {
  return tapes.map((tape) => ({
    symbol: tape.symbol,
    trades: tape.trades.map((trade) => ({ ...trade, tradeTimeMs: trade.tradeTimeMs + shiftMs, ...(trade.eventTimeMs === undefined ? {} : { eventTimeMs: trade.eventTimeMs + shiftMs }) })),
    aggTrades: tape.aggTrades.map((agg) => ({ ...agg, T: agg.T + shiftMs, E: agg.E + shiftMs })),
  }));
}
