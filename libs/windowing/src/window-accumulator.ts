import { ExactSum } from './decimal/exact-sum';
import { formatScaled } from './decimal/format-decimal';
import { compareDecimals, ScaledDecimal } from './decimal/scaled-decimal';
import { TradeIdRanges } from './trade-id-ranges';
import { averagePriceOf, vwapOf } from './window-averages';
import type { WindowFigures } from './window.types';

/**
 * The running aggregate of one symbol's window [startMs, endMs). Sums are exact; open and close
 * are the first and last events by event time, ties broken by trade id (without trade ids, the
 * first arrival stays open and the last arrival becomes close).
 */
export class WindowAccumulator {
  eventCount = 0;
  tradeCount = 0;
  /** Emissions so far: the next emission's revision. */
  emissions = 0;
  /** Set while the window is open (not yet emitted, or re-opened by a late correction). */
  open = true;
  /** Set when late events changed an emitted window (the `correct` policy) until re-emitted. */
  pendingCorrection = false;
  /** Smallest `TradeEvent.sequence` that went into the window, if any carried one. */
  firstSequence: number | undefined = undefined;
  firstTradeId: number | undefined = undefined;
  lastTradeId: number | undefined = undefined;
  /** `eventCount` when {@link snapshot} last ran: a live view only needs windows that changed. */
  snapshotEventCount = 0;

  /** Trade ids counted, to recognise a trade published twice; created with the first id. */
  #tradeIds: TradeIdRanges | undefined = undefined;
  readonly #priceSum = new ExactSum();
  readonly #volume = new ExactSum();
  readonly #quoteVolume = new ExactSum();
  readonly #takerBuyVolume = new ExactSum();
  readonly #takerBuyQuoteVolume = new ExactSum();
  /** Set once an event without `isBuyerMaker` came in: the taker-buy sums are then unknown. */
  #takerSideUnknown = false;
  readonly #high = new ScaledDecimal();
  readonly #low = new ScaledDecimal();
  readonly #openPrice = new ScaledDecimal();
  readonly #closePrice = new ScaledDecimal();
  #openTimeMs = 0;
  #openTradeId: number | undefined = undefined;
  #closeTimeMs = 0;
  #closeTradeId: number | undefined = undefined;

  constructor(
    readonly symbol: string,
    readonly startMs: number,
    readonly endMs: number,
  ) {}

  /**
   * Records `tradeId` as counted in this window; false when it was counted already (the same
   * trade published twice), and then the event must not be added.
   */
  claimTradeId(tradeId: number): boolean {
    return (this.#tradeIds ??= new TradeIdRanges()).add(tradeId);
  }

  /** Adds one event whose price and quantity were parsed already. */
  add(
    price: ScaledDecimal, quantity: ScaledDecimal, eventTimeMs: number,
    tradeId: number | undefined, tradeCount: number, sequence: number | undefined, isBuyerMaker?: boolean,
  ): void {
    const first = this.eventCount === 0;
    this.eventCount++;
    this.tradeCount += tradeCount;
    if (isBuyerMaker === undefined) this.#takerSideUnknown = true;
    this.#addSums(price, quantity, isBuyerMaker === false);

    if (first) {
      this.#high.assign(price);
      this.#low.assign(price);
    } else {
      if (compareDecimals(price, this.#high) > 0) this.#high.assign(price);
      if (compareDecimals(price, this.#low) < 0) this.#low.assign(price);
    }
    if (first || eventTimeMs < this.#openTimeMs ||
        (eventTimeMs === this.#openTimeMs && tradeId !== undefined && this.#openTradeId !== undefined && tradeId < this.#openTradeId)) {
      this.#openPrice.assign(price);
      this.#openTimeMs = eventTimeMs;
      this.#openTradeId = tradeId;
    }
    if (first || eventTimeMs > this.#closeTimeMs ||
        (eventTimeMs === this.#closeTimeMs && (tradeId === undefined || this.#closeTradeId === undefined || tradeId > this.#closeTradeId))) {
      this.#closePrice.assign(price);
      this.#closeTimeMs = eventTimeMs;
      this.#closeTradeId = tradeId;
    }
    if (tradeId !== undefined) {
      if (this.firstTradeId === undefined || tradeId < this.firstTradeId) this.firstTradeId = tradeId;
      if (this.lastTradeId === undefined || tradeId > this.lastTradeId) this.lastTradeId = tradeId;
    }
    if (sequence !== undefined && (this.firstSequence === undefined || sequence < this.firstSequence)) {
      this.firstSequence = sequence;
    }
  }

  /** The window as emitted now; counts an emission (the revision grows with each). */
  emit(withPriceSum = false): WindowFigures {
    const window = this.snapshot(withPriceSum);
    this.emissions++;
    this.open = false;
    return window;
  }

  /** The window as it stands, without emitting it (for live views of open windows). */
  snapshot(withPriceSum = false): WindowFigures {
    this.snapshotEventCount = this.eventCount;
    const volume = this.#volume.value;
    const quoteVolume = this.#quoteVolume.value;
    const window: WindowFigures = {
      symbol: this.symbol,
      startMs: this.startMs,
      endMs: this.endMs,
      averagePrice: averagePriceOf(this.#priceSum.value, this.#priceSum.scale, this.eventCount),
      open: format(this.#openPrice),
      high: format(this.#high),
      low: format(this.#low),
      close: format(this.#closePrice),
      volume: formatScaled(volume, this.#volume.scale),
      quoteVolume: formatScaled(quoteVolume, this.#quoteVolume.scale),
      vwap: vwapOf(quoteVolume, this.#quoteVolume.scale, volume, this.#volume.scale),
      tradeCount: this.tradeCount,
      eventCount: this.eventCount,
      ...(this.firstTradeId === undefined ? {} : { firstTradeId: this.firstTradeId, lastTradeId: this.lastTradeId }),
      revision: this.emissions,
      ...(withPriceSum ? { priceSum: formatScaled(this.#priceSum.value, this.#priceSum.scale) } : {}),
      ...(this.#takerSideUnknown ? {} : {
        takerBuyVolume: formatScaled(this.#takerBuyVolume.value, this.#takerBuyVolume.scale),
        takerBuyQuoteVolume: formatScaled(this.#takerBuyQuoteVolume.value, this.#takerBuyQuoteVolume.scale),
      }),
    };
    return window;
  }

  /** Adds to Σ price, the volumes, and with `takerBuy` (the buyer took) to the taker-buy volumes. */
  #addSums(price: ScaledDecimal, quantity: ScaledDecimal, takerBuy: boolean): void {
    if (price.big === undefined) this.#priceSum.add(price.mantissa, price.scale);
    else this.#priceSum.addBig(price.big, price.scale);
    if (quantity.big === undefined) {
      this.#volume.add(quantity.mantissa, quantity.scale);
      if (takerBuy) this.#takerBuyVolume.add(quantity.mantissa, quantity.scale);
    } else {
      this.#volume.addBig(quantity.big, quantity.scale);
      if (takerBuy) this.#takerBuyVolume.addBig(quantity.big, quantity.scale);
    }

    const scale = price.scale + quantity.scale;
    if (price.big === undefined && quantity.big === undefined) {
      const product = price.mantissa * quantity.mantissa;
      // A double product that lands ≤ 2^52 is the exact product of the two integers.
      if (product <= 2 ** 52) {
        this.#quoteVolume.add(product, scale);
        if (takerBuy) this.#takerBuyQuoteVolume.add(product, scale);
        return;
      }
    }
    const product = price.bigMantissa() * quantity.bigMantissa();
    this.#quoteVolume.addBig(product, scale);
    if (takerBuy) this.#takerBuyQuoteVolume.addBig(product, scale);
  }
}

function format(value: ScaledDecimal): string {
  return formatScaled(value.big ?? value.mantissa, value.scale);
}
