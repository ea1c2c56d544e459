import { baseQuantityOf, DecimalTextSum } from './base-volume';
import { windowStartOf } from './window-options';
import type { WindowFigures, TradeEvent } from './window.types';

interface BaseVolume {
  readonly startMs: number;
  readonly sum: DecimalTextSum;
  readonly takerBuy: DecimalTextSum;
}

/**
 * The base volumes of the finest windows of inverse (COIN-M) contracts: Σ quantity × contract
 * size / price over all trades, and over the taker buys, each trade half-up to 8 places
 * (Binance's "base asset volume"). Kept by `${startMs} ${symbol}` while a window is open, and
 * under `correct` for as long as it may still be corrected.
 */
export class CoinMBaseVolumes {
  readonly #bySymbolWindow = new Map<string, BaseVolume>();

  constructor(
    private readonly sizeMs: number,
    /** How long after its end a window keeps its base volume for corrections; −1 under `drop`. */
    private readonly keepMs: number,
  ) {}

  get isEmpty(): boolean {
    return this.#bySymbolWindow.size === 0;
  }

  /** A trade with a `contractSize` that its finest window took (or corrected with). */
  add(event: TradeEvent & { readonly contractSize: string }): void {
    const startMs = windowStartOf(event.eventTimeMs, this.sizeMs);
    const key = `${startMs} ${event.symbol}`;
    let entry = this.#bySymbolWindow.get(key);
    if (entry === undefined) {
      entry = { startMs, sum: new DecimalTextSum(), takerBuy: new DecimalTextSum() };
      this.#bySymbolWindow.set(key, entry);
    }
    const baseQuantity = baseQuantityOf(event.quantity, event.contractSize, event.price);
    entry.sum.add(baseQuantity);
    if (event.isBuyerMaker === false) entry.takerBuy.add(baseQuantity);
  }

  /**
   * The finest window with its base volumes, if it has any; a `closed` one's are forgotten under
   * `drop` (nothing corrects it any more).
   */
  withBaseVolume(window: WindowFigures, closed = true): WindowFigures {
    const key = `${window.startMs} ${window.symbol}`;
    const entry = this.#bySymbolWindow.get(key);
    if (entry === undefined) return window;
    if (closed && this.keepMs < 0) this.#bySymbolWindow.delete(key);
    // Without the sides of all its trades the finest window has no taker-buy volumes at all.
    if (window.takerBuyVolume === undefined) return { ...window, baseVolume: entry.sum.toString() };
    return { ...window, baseVolume: entry.sum.toString(), takerBuyBaseVolume: entry.takerBuy.toString() };
  }

  /** Forgets the base volumes of windows that can no longer be corrected at this watermark. */
  evict(watermarkMs: number): void {
    if (this.keepMs < 0 || this.#bySymbolWindow.size === 0) return;
    for (const [key, { startMs }] of this.#bySymbolWindow) {
      if (startMs + this.sizeMs + this.keepMs <= watermarkMs) this.#bySymbolWindow.delete(key);
    }
  }
}
