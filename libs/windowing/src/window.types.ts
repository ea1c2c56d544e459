/**
 * The public vocabulary of the window engine. Windows are `[startMs, endMs)`, aligned to the
 * epoch: with 1-minute windows, [0;60000) then [60000;120000). All times are epoch milliseconds
 * and every duration ends in `Ms`.
 */

/** One trade (or price observation) as the engine sees it. */
export interface TradeEvent {
  readonly symbol: string;
  /** Decimal string greater than zero. */
  readonly price: string;
  /** Decimal string; "0" for a price with no traded quantity (ticker polls). */
  readonly quantity: string;
  /** When the trade happened (Binance `T`), epoch ms. Decides the window. */
  readonly eventTimeMs: number;
  /** Exchange trade id: breaks ties for open/close when event times are equal. */
  readonly tradeId?: number;
  /** Exchange trades behind this event (an aggTrade covers last - first + 1); default 1. */
  readonly tradeCount?: number;
  /**
   * The caller's position of the event in its input (a Kafka offset, a line number). The engine
   * reports the oldest position that an open window still needs, so that a consumer knows where
   * to resume after a crash. Must not decrease within one engine.
   */
  readonly sequence?: number;
  /**
   * Contract size of an inverse (COIN-M) contract in the quote asset, e.g. "10" (USD): then
   * `quantity` counts contracts and the window's `baseVolume` is Σ quantity × contractSize /
   * price (see `baseQuantityOf`). Only the multi-size engine reads it.
   */
  readonly contractSize?: string;
  /**
   * Binance's `m`: true when the buyer was the maker (the seller took), false when the buyer
   * took. Trades with `false` make the window's taker-buy volumes; without it (ticker
   * observations, older producers) the window's taker-buy volumes are unknown (absent).
   */
  readonly isBuyerMaker?: boolean;
}

/**
 * The figures of one window of one symbol (OHLC, volumes, averages, counts), exact decimals as
 * strings: of a closed window, ready to be written, or of an open one as it stands (a live view,
 * `changedOpenWindows`).
 */
export interface WindowFigures {
  readonly symbol: string;
  readonly startMs: number;
  /** Exclusive. */
  readonly endMs: number;
  /** Mean of the prices of the window's events, rounded half-up to 8 decimals. */
  readonly averagePrice: string;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  /** Σ quantity. */
  readonly volume: string;
  /** Σ price × quantity. */
  readonly quoteVolume: string;
  /** quoteVolume / volume rounded half-up to 8 decimals; null when volume is zero. */
  readonly vwap: string | null;
  /** Σ tradeCount. */
  readonly tradeCount: number;
  /** Number of events that went into the window. */
  readonly eventCount: number;
  readonly firstTradeId?: number;
  readonly lastTradeId?: number;
  /** 0 for the first emission; 1, 2, … for corrections under the `correct` late policy. */
  readonly revision: number;
  /**
   * Σ price of the window's events, exact: only with the `exactPriceSum` option. Rolling small
   * windows up into larger ones needs it, because `averagePrice` is rounded.
   */
  readonly priceSum?: string;
  /**
   * Absent for a window of trades. `ticker` for a window of REST ticker price observations
   * (INGESTOR_SOURCE=rest), which are not trades: its volumes and trade count mean nothing and
   * are not reported (stored as NULL); `eventCount` counts the observations.
   */
  readonly source?: 'ticker';
  /**
   * COIN-M (inverse) windows only: Σ quantity × contractSize / price, each trade's term rounded
   * half-up to 8 decimals and summed exactly: Binance's "base asset volume" of a COIN-M kline.
   */
  readonly baseVolume?: string;
  /**
   * Σ quantity of the trades whose buyer was the taker (`isBuyerMaker` false): Binance's "taker
   * buy base asset volume" (COIN-M: "taker buy volume", in contracts). Absent when the side of a
   * trade of the window is unknown (see `TradeEvent.isBuyerMaker`), with the two below.
   */
  readonly takerBuyVolume?: string;
  /** Σ price × quantity of those trades: Binance's "taker buy quote asset volume". */
  readonly takerBuyQuoteVolume?: string;
  /**
   * COIN-M windows only: Σ quantity × contractSize / price of those trades, each term rounded as
   * in `baseVolume`: Binance's "taker buy base asset volume" of a COIN-M kline.
   */
  readonly takerBuyBaseVolume?: string;
}

/**
 * What happened to an event given to the engine. Late events and duplicates are outcomes, never
 * exceptions.
 */
export type AddOutcome =
  | { readonly kind: 'accepted' }
  | {
      /** Its trade id was counted already in its window: not counted again. */
      readonly kind: 'duplicate';
      readonly reason: string;
      readonly windowStartMs: number;
    }
  | {
      readonly kind: 'late';
      /** Human-readable, e.g. "window [60000;120000) of BTCUSDT closed at 125000". */
      readonly reason: string;
      readonly windowStartMs: number;
      readonly watermarkMs: number;
      /** True when the `correct` policy re-opened the window for a corrected emission. */
      readonly corrected: boolean;
      /**
       * True when the event can no longer be counted anywhere: under `correct`, its window ended
       * more than allowedLatenessMs ago; under `drop`, always. The caller must not lose it
       * silently (dead-letter it). False for a corrected event and for a replayed one.
       */
      readonly tooLate: boolean;
    };

/** A source's word on how far one symbol's trades are complete (in-band progress records). */
export interface SourceProgressEvent {
  readonly symbol: string;
  /** Every trade of the symbol with event time < this has been given to the engine. */
  readonly completeUpToMs: number;
  /** When the source said so: its wall time, comparable to event times. */
  readonly atMs: number;
}

export type LatePolicy = 'drop' | 'correct';

export interface WindowEngineOptions {
  /** Window size: a whole number of seconds, 1 s to 1 day. Default 60000. */
  readonly windowSizeMs?: number;
  /** How far behind the newest event time an event may arrive and still count. Default 0. */
  readonly graceMs?: number;
  /** What to do with late events. Default `drop`. */
  readonly latePolicy?: LatePolicy;
  /**
   * Watermark to start from, e.g. one stored with a consumer's offsets: windows ending at or
   * before it count as already written, so their events are late, not counted twice.
   */
  readonly initialWatermarkMs?: number;
  /**
   * Under the `correct` policy, how long after its end (in watermark time) a closed window is
   * kept to take corrections; later events for it are reported `tooLate`. Default 3600000 (one
   * hour).
   */
  readonly allowedLatenessMs?: number;
  /** Adds the exact Σ price to each closed window (`WindowFigures.priceSum`). Default false. */
  readonly exactPriceSum?: boolean;
  /**
   * How long (in the engine's clock) a symbol's source progress holds its windows after the last
   * report. Past it the source counts as gone and the windows close on the watermark, as those of
   * a symbol without source progress do. Default 60000.
   */
  readonly sourceTimeoutMs?: number;
  /**
   * After a restart from stored progress: events with a smaller `sequence` were taken into account
   * before the restart. Those of windows ending at or before initialWatermarkMs are folded back
   * into the written windows (so that later corrections stay exact), never emitted again.
   */
  readonly replayUntilSequence?: number;
}
