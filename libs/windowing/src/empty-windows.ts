import { divideHalfUp } from './decimal/format-decimal';
import { parseDecimal, ScaledDecimal } from './decimal/scaled-decimal';
import { AVERAGE_PLACES } from './window-accumulator';
import type { ClosedWindow } from './window.types';

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
}

const scratch = new ScaledDecimal();

/**
 * The empty window [startMs, startMs + sizeMs) of a symbol whose previous close was `close`:
 * open = high = low = close, volume and quote volume 0, no VWAP, 0 trades and 0 events.
 * `average_price` (a NOT NULL column) carries the same price, rounded like every average, so
 * that a chart of averages has no holes either; `eventCount` 0 tells such a row apart.
 */
export function emptyWindow(symbol: string, startMs: number, sizeMs: number, close: string): ClosedWindow {
  if (!parseDecimal(close, scratch)) throw new Error(`carried close is not a decimal: ${JSON.stringify(close)}`);
  return {
    symbol, startMs, endMs: startMs + sizeMs,
    averagePrice: divideHalfUp(scratch.bigMantissa(), scratch.scale, 1n, AVERAGE_PLACES),
    open: close, high: close, low: close, close,
    volume: '0', quoteVolume: '0', vwap: null,
    tradeCount: 0, eventCount: 0, revision: 0, priceSum: '0',
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

  constructor(readonly sizeMs: number) {}

  /** Carried state of a symbol, e.g. from storage after a restart. */
  restore(symbol: string, carried: CarriedClose): void {
    this.#bySymbol.set(symbol, carried);
  }

  get(symbol: string): CarriedClose | undefined {
    return this.#bySymbol.get(symbol);
  }

  /** A real window closed: returns the empty windows between the symbol's last one and it. */
  record(window: ClosedWindow, onChange: (symbol: string) => void): ClosedWindow[] {
    const last = this.#bySymbol.get(window.symbol);
    const filled = last === undefined ? [] : this.#between(window.symbol, last, window.startMs);
    if (last === undefined || window.endMs > last.endMs) {
      this.#bySymbol.set(window.symbol, { endMs: window.endMs, close: window.close });
      onChange(window.symbol);
    }
    return filled;
  }

  /** Empty windows of every known symbol that end at or before `watermarkMs`, by (end, symbol). */
  fillUpTo(watermarkMs: number, onChange: (symbol: string) => void): ClosedWindow[] {
    const boundaryMs = Math.floor(watermarkMs / this.sizeMs) * this.sizeMs;
    if (!(boundaryMs > this.#filledToMs)) return [];
    this.#filledToMs = boundaryMs;
    const filled: ClosedWindow[] = [];
    for (const [symbol, last] of this.#bySymbol) {
      if (last.endMs >= boundaryMs) continue;
      filled.push(...this.#between(symbol, last, boundaryMs));
      this.#bySymbol.set(symbol, { endMs: boundaryMs, close: last.close });
      onChange(symbol);
    }
    return filled.sort((a, b) => a.endMs - b.endMs || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  }

  #between(symbol: string, last: CarriedClose, untilMs: number): ClosedWindow[] {
    const filled: ClosedWindow[] = [];
    for (let startMs = last.endMs; startMs + this.sizeMs <= untilMs; startMs += this.sizeMs) {
      filled.push(emptyWindow(symbol, startMs, this.sizeMs, last.close));
    }
    return filled;
  }
}
