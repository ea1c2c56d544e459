import { DecimalTextSum } from './base-volume';
import { ExactSum } from './decimal/exact-sum';
import { formatScaled } from './decimal/format-decimal';
import { compareDecimals, parseDecimal, ScaledDecimal } from './decimal/scaled-decimal';
import { averagePriceOf, vwapOf } from './window-averages';
import type { WindowFigures } from './window.types';

const scratch = new ScaledDecimal();

/**
 * A larger window [startMs, endMs) of one symbol, built from smaller closed windows that tile
 * it, exactly: sums add (Σ price too, so the mean of all prices stays exact, not a mean of
 * means), high/low are the extremes, open is the first part's open and close the last part's
 * close. Parts must come in time order, each with `priceSum` (the engine's `exactPriceSum`).
 * A part may itself be a rollup's partial state (restored after a restart): merging is
 * associative.
 */
export class WindowRollup {
  #eventCount = 0;
  #tradeCount = 0;
  #open: string | undefined;
  #close = '';
  #firstTradeId: number | undefined;
  #lastTradeId: number | undefined;
  /** End of the last part added: the next part must not start before it. */
  #coveredUntilMs: number;
  readonly #priceSum = new ExactSum();
  readonly #volume = new ExactSum();
  readonly #quoteVolume = new ExactSum();
  readonly #high = new ScaledDecimal();
  readonly #low = new ScaledDecimal();
  #baseVolume: DecimalTextSum | undefined;
  readonly #takerBuyVolume = new ExactSum();
  readonly #takerBuyQuoteVolume = new ExactSum();
  #takerBuyBaseVolume: DecimalTextSum | undefined;
  /**
   * Set once a part came without its taker-buy volumes (its trades' sides unknown, or a partial
   * stored before they were kept): the rollup's are unknown then, never a sum of some parts.
   */
  #takerSideUnknown = false;

  constructor(
    readonly symbol: string,
    readonly startMs: number,
    readonly endMs: number,
  ) {
    this.#coveredUntilMs = startMs;
  }

  get eventCount(): number {
    return this.#eventCount;
  }

  /**
   * A rollup that carries on from its partial state (from {@link toWindow}, stored before a
   * restart); the parts added next must follow the ones merged into it.
   */
  static resume(partial: WindowFigures): WindowRollup {
    const rollup = new WindowRollup(partial.symbol, partial.startMs, partial.endMs);
    rollup.add(partial);
    rollup.#coveredUntilMs = partial.startMs;
    return rollup;
  }

  /** Adds a smaller window (or a partial of this one) that lies inside it, after the parts so far. */
  add(part: WindowFigures): void {
    if (part.symbol !== this.symbol || part.startMs < this.#coveredUntilMs || part.startMs < this.startMs || part.endMs > this.endMs) {
      throw new Error(
        `window rollup out of order: [${part.startMs};${part.endMs}) of ${part.symbol} after ${this.symbol} up to ${this.#coveredUntilMs} in [${this.startMs};${this.endMs})`,
      );
    }
    if (part.priceSum === undefined) throw new Error('a rolled-up part needs its exact priceSum (engine option exactPriceSum)');
    if (part.eventCount === 0) return; // an empty (carried) window adds nothing, not even an open
    this.#coveredUntilMs = part.endMs;
    addText(this.#priceSum, part.priceSum);
    addText(this.#volume, part.volume);
    addText(this.#quoteVolume, part.quoteVolume);
    if (part.baseVolume !== undefined) (this.#baseVolume ??= new DecimalTextSum()).add(part.baseVolume);
    this.#addTakerBuy(part);
    parseExact(part.high);
    if (this.#eventCount === 0 || compareDecimals(scratch, this.#high) > 0) this.#high.assign(scratch);
    parseExact(part.low);
    if (this.#eventCount === 0 || compareDecimals(scratch, this.#low) < 0) this.#low.assign(scratch);
    this.#open ??= part.open;
    this.#close = part.close;
    this.#eventCount += part.eventCount;
    this.#tradeCount += part.tradeCount;
    if (part.firstTradeId !== undefined && (this.#firstTradeId === undefined || part.firstTradeId < this.#firstTradeId)) this.#firstTradeId = part.firstTradeId;
    if (part.lastTradeId !== undefined && (this.#lastTradeId === undefined || part.lastTradeId > this.#lastTradeId)) this.#lastTradeId = part.lastTradeId;
  }

  /** The window as it stands, with its exact `priceSum` (a partial one while parts are missing). */
  toWindow(): WindowFigures {
    if (this.#open === undefined) throw new Error(`window [${this.startMs};${this.endMs}) of ${this.symbol} has no events`);
    const volume = this.#volume.value;
    const quoteVolume = this.#quoteVolume.value;
    return {
      symbol: this.symbol,
      startMs: this.startMs,
      endMs: this.endMs,
      averagePrice: averagePriceOf(this.#priceSum.value, this.#priceSum.scale, this.#eventCount),
      open: this.#open,
      high: formatScaled(this.#high.big ?? this.#high.mantissa, this.#high.scale),
      low: formatScaled(this.#low.big ?? this.#low.mantissa, this.#low.scale),
      close: this.#close,
      volume: formatScaled(volume, this.#volume.scale),
      quoteVolume: formatScaled(quoteVolume, this.#quoteVolume.scale),
      vwap: vwapOf(quoteVolume, this.#quoteVolume.scale, volume, this.#volume.scale),
      tradeCount: this.#tradeCount,
      eventCount: this.#eventCount,
      ...(this.#firstTradeId === undefined ? {} : { firstTradeId: this.#firstTradeId, lastTradeId: this.#lastTradeId }),
      revision: 0,
      priceSum: formatScaled(this.#priceSum.value, this.#priceSum.scale),
      ...(this.#baseVolume === undefined ? {} : { baseVolume: this.#baseVolume.toString() }),
      ...(this.#takerSideUnknown ? {} : {
        takerBuyVolume: formatScaled(this.#takerBuyVolume.value, this.#takerBuyVolume.scale),
        takerBuyQuoteVolume: formatScaled(this.#takerBuyQuoteVolume.value, this.#takerBuyQuoteVolume.scale),
        ...(this.#takerBuyBaseVolume === undefined ? {} : { takerBuyBaseVolume: this.#takerBuyBaseVolume.toString() }),
      }),
    };
  }

  #addTakerBuy(part: WindowFigures): void {
    if (this.#takerSideUnknown) return;
    if (part.takerBuyVolume === undefined || part.takerBuyQuoteVolume === undefined || (part.baseVolume !== undefined && part.takerBuyBaseVolume === undefined)) {
      this.#takerSideUnknown = true;
      return;
    }
    addText(this.#takerBuyVolume, part.takerBuyVolume);
    addText(this.#takerBuyQuoteVolume, part.takerBuyQuoteVolume);
    if (part.takerBuyBaseVolume !== undefined) (this.#takerBuyBaseVolume ??= new DecimalTextSum()).add(part.takerBuyBaseVolume);
  }
}

function parseExact(text: string): void {
  if (!parseDecimal(text, scratch)) throw new Error(`not a non-negative decimal: ${JSON.stringify(text)}`);
}

function addText(sum: ExactSum, text: string): void {
  parseExact(text);
  if (scratch.big === undefined) sum.add(scratch.mantissa, scratch.scale);
  else sum.addBig(scratch.big, scratch.scale);
}
