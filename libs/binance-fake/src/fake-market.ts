import { MarketTrade } from '@cryptostream/market-data';
import { MarketClock } from './market-clock';
import { FakeAggTrade, SymbolTape } from './recorded-market';

/**
 * The recorded market as it unfolds: a trade is visible (on the streams and the REST API) once
 * the market clock has passed its trade time.
 */
export class FakeMarket {
  readonly clock: MarketClock;
  readonly #tapes = new Map<string, SymbolTape>();

  /** `startMarketMs` defaults to the earliest recorded trade; trades before it are history from the start. */
  constructor(tapes: readonly SymbolTape[], speed: number, now: () => number = Date.now, startMarketMs?: number) {
    for (const tape of tapes) {
      if (this.#tapes.has(tape.symbol)) throw new Error(`two recordings for ${tape.symbol}: give one of them another symbol`);
      this.#tapes.set(tape.symbol, tape);
    }
    const start = startMarketMs ?? Math.min(...tapes.map((tape) => tape.trades[0].tradeTimeMs));
    this.clock = new MarketClock(start, speed, now);
  }

  symbols(): string[] {
    return [...this.#tapes.keys()];
  }

  has(symbol: string): boolean {
    return this.#tapes.has(symbol);
  }

  /** Trades (in id order) that have happened so far. */
  visibleTrades(symbol: string): readonly MarketTrade[] {
    const tape = this.#tape(symbol);
    return tape.trades.slice(0, countUpTo(tape.trades, (trade) => trade.tradeTimeMs, this.clock.marketNowMs()));
  }

  /** Aggregate trades (in id order) that have happened so far. */
  visibleAggTrades(symbol: string): readonly FakeAggTrade[] {
    const tape = this.#tape(symbol);
    return tape.aggTrades.slice(0, countUpTo(tape.aggTrades, (agg) => agg.T, this.clock.marketNowMs()));
  }

  /** Number of trades and aggregate trades visible now, for streaming what is new. */
  visibleCounts(symbol: string): { trades: number; aggTrades: number } {
    const tape = this.#tape(symbol);
    const now = this.clock.marketNowMs();
    return { trades: countUpTo(tape.trades, (t) => t.tradeTimeMs, now), aggTrades: countUpTo(tape.aggTrades, (a) => a.T, now) };
  }

  tape(symbol: string): SymbolTape {
    return this.#tape(symbol);
  }

  /** The last traded price (the first recorded one before any trade has happened). */
  lastPrice(symbol: string): string {
    const visible = this.visibleAggTrades(symbol);
    return (visible.at(-1) ?? this.#tape(symbol).aggTrades[0]).p;
  }

  #tape(symbol: string): SymbolTape {
    const tape = this.#tapes.get(symbol);
    if (!tape) throw new Error(`unknown symbol ${symbol}`);
    return tape;
  }
}

/** How many items (sorted by time) have a time ≤ `limitMs`. */
function countUpTo<T>(items: readonly T[], timeOf: (item: T) => number, limitMs: number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (timeOf(items[middle]) <= limitMs) low = middle + 1;
    else high = middle;
  }
  return low;
}
