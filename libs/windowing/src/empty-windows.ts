import { parseDecimal, ScaledDecimal } from './decimal/scaled-decimal';
import { averagePriceOf } from './window-averages';
import type { WindowFigures } from './window.types';

/**
 * What to do with an interval in which a symbol did not trade:
 * - `skip`: write nothing (the original design; every row is the exact aggregate of real events);
 * - `carry`: write Binance's empty kline: open = high = low = close = the previous close,
 *   volume 0, 0 trades, so that a chart has no holes.
 */
export type EmptyWindowPolicy = 'skip' | 'carry';

export const EMPTY_WINDOW_POLICIES: readonly EmptyWindowPolicy[] = ['skip', 'carry'];

/** Where a symbol's row sequence stands at one size: the end and close of its last window. */
export interface CarriedClose {
  readonly endMs: number;
  readonly close: string;
  /**
   * Its real windows that a late trade may still revise (under the `correct` policy), by start,
   * after the latest one that can no longer change: what a revised or late real window's
   * following empty rows carried, and where they end.
   */
  readonly recent?: readonly RealClose[];
}

/** A real window's start and close (see {@link CarriedClose.recent}). */
export interface RealClose {
  readonly startMs: number;
  readonly close: string;
}

const scratch = new ScaledDecimal();

/**
 * The empty window [startMs, startMs + sizeMs) of a symbol whose previous close was `close`:
 * open = high = low = close, volumes (taker-buy ones too) 0, no VWAP, 0 trades and 0 events.
 * `average_price` (a NOT NULL column) carries the same price, rounded like every average, so
 * that a chart of averages has no holes either; `eventCount` 0 tells such a row apart.
 */
export function emptyWindow(symbol: string, startMs: number, sizeMs: number, close: string): WindowFigures {
  if (!parseDecimal(close, scratch)) throw new Error(`carried close is not a decimal: ${JSON.stringify(close)}`);
  return {
    symbol, startMs, endMs: startMs + sizeMs,
    averagePrice: averagePriceOf(scratch.bigMantissa(), scratch.scale, 1),
    open: close, high: close, low: close, close,
    volume: '0', quoteVolume: '0', vwap: null,
    tradeCount: 0, eventCount: 0, revision: 0, priceSum: '0', takerBuyVolume: '0', takerBuyQuoteVolume: '0',
  };
}

/**
 * Fills the holes of one window size under the `carry` policy. It sees every real window of
 * the size as it closes ({@link record}) and, when the watermark has moved, fills each known
 * symbol up to it ({@link fillUpTo}). A symbol is known from its first real window on: before
 * that there is no close to carry. Pure state; the caller decides when.
 */
export class EmptyWindowFiller {
  readonly #bySymbol = new Map<string, CarriedClose>();
  /** The watermark's window boundary at the last fill: nothing new to fill below it. */
  #filledToMs = Number.NEGATIVE_INFINITY;
  /** Symbols with real windows recorded since the last {@link settle}. */
  readonly #unsettled = new Set<string>();

  constructor(readonly sizeMs: number) {}

  /** Carried state of a symbol, e.g. from storage after a restart. */
  restore(symbol: string, carried: CarriedClose): void {
    this.#bySymbol.set(symbol, carried);
  }

  get(symbol: string): CarriedClose | undefined {
    return this.#bySymbol.get(symbol);
  }

  /**
   * A real window closed (or was revised): returns it with the empty windows before it since the
   * symbol's last one. One that comes after later rows were written (a late trade, a revision)
   * comes back with the rows it changes: itself as a revision when its interval was written
   * empty, and the empty rows after it up to the next real one, which now carry its close
   * (revision 1 when written before). What it keeps of the symbol's real windows is cut only by
   * {@link settle}, after the whole batch: a window of the batch may follow one that the batch's
   * clock already calls settled, and must still see it as written.
   */
  record(window: WindowFigures, onChange: (symbol: string) => void): WindowFigures[] {
    const symbol = window.symbol;
    const last = this.#bySymbol.get(symbol);
    if (last !== undefined && window.endMs <= last.endMs) return this.#revise(window, last, onChange);
    const filled = last === undefined ? [] : this.#between(symbol, last.endMs, window.startMs, last.close);
    const recent = [...(last?.recent ?? []), { startMs: window.startMs, close: window.close }];
    this.#bySymbol.set(symbol, { endMs: window.endMs, close: window.close, recent });
    this.#unsettled.add(symbol);
    onChange(symbol);
    filled.push(window);
    return filled;
  }

  #revise(window: WindowFigures, last: CarriedClose, onChange: (symbol: string) => void): WindowFigures[] {
    // State stored by an older aggregator does not say which rows after it were real: leave them.
    if (last.recent === undefined) return [window];
    const recent = [...last.recent];
    let at = recent.length;
    while (at > 0 && recent[at - 1].startMs > window.startMs) at--;
    const same = at > 0 && recent[at - 1].startMs === window.startMs;
    const previous = same ? recent[at - 2] : recent[at - 1];
    // What the rows after it carried: its own close before, or the previous real window's.
    const carriedBefore = same ? recent[at - 1].close : previous?.close;
    if (same) recent[at - 1] = { startMs: window.startMs, close: window.close };
    else recent.splice(at, 0, { startMs: window.startMs, close: window.close });
    const next = recent[same ? at : at + 1];
    const untilMs = next?.startMs ?? last.endMs;
    const out: WindowFigures[] = [];
    // Its interval was written empty (a previous real window was carried into it): a revision.
    out.push(!same && previous !== undefined && window.revision === 0 ? { ...window, revision: 1 } : window);
    if (carriedBefore !== window.close) {
      // Before the symbol's first real window nothing was written: those rows are new.
      const revision = previous === undefined && !same ? 0 : 1;
      for (const empty of this.#between(window.symbol, window.endMs, untilMs, window.close)) out.push(revision === 0 ? empty : { ...empty, revision });
    }
    this.#bySymbol.set(window.symbol, { endMs: last.endMs, close: next === undefined ? window.close : last.close, recent });
    this.#unsettled.add(window.symbol);
    onChange(window.symbol);
    return out;
  }

  /** Forgets the real windows recorded since the last call that end at or before `settledUntilMs`: they can no longer change. */
  settle(settledUntilMs: number): void {
    for (const symbol of this.#unsettled) {
      const carried = this.#bySymbol.get(symbol)!;
      if (carried.recent !== undefined) this.#bySymbol.set(symbol, { ...carried, recent: settle(carried.recent, this.sizeMs, settledUntilMs) });
    }
    this.#unsettled.clear();
  }

  /** Empty windows of every known symbol that end at or before `watermarkMs`, by (end, symbol). */
  fillUpTo(watermarkMs: number, onChange: (symbol: string) => void): WindowFigures[] {
    const boundaryMs = Math.floor(watermarkMs / this.sizeMs) * this.sizeMs;
    if (!(boundaryMs > this.#filledToMs)) return [];
    this.#filledToMs = boundaryMs;
    const filled: WindowFigures[] = [];
    for (const [symbol, last] of this.#bySymbol) {
      if (last.endMs >= boundaryMs) continue;
      filled.push(...this.#between(symbol, last.endMs, boundaryMs, last.close));
      this.#bySymbol.set(symbol, { ...last, endMs: boundaryMs });
      onChange(symbol);
    }
    return filled.sort((a, b) => a.endMs - b.endMs || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  }

  #between(symbol: string, fromMs: number, untilMs: number, close: string): WindowFigures[] {
    const filled: WindowFigures[] = [];
    for (let startMs = fromMs; startMs + this.sizeMs <= untilMs; startMs += this.sizeMs) {
      filled.push(emptyWindow(symbol, startMs, this.sizeMs, close));
    }
    return filled;
  }
}

/** Keeps the real windows that may still change, and the latest one before them (what follows it carries). */
function settle(recent: readonly RealClose[], sizeMs: number, settledUntilMs: number): readonly RealClose[] {
  let drop = 0;
  while (drop + 1 < recent.length && recent[drop + 1].startMs + sizeMs <= settledUntilMs) drop++;
  return drop === 0 ? recent : recent.slice(drop);
}
