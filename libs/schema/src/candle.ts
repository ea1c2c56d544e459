/**
 * The figures of one window (candle) as readers get them, from MySQL or from a live update:
 * exact decimal strings, epoch-ms times, the window `[startMs, endMs)`.
 */
export interface CandleFigures {
  readonly symbol: string;
  /** `trades`, or `ticker` for REST price observations (no volumes or trade count). */
  readonly source: 'trades' | 'ticker';
  readonly startMs: number;
  /** Exclusive. */
  readonly endMs: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  /** Σ quantity; null for ticker windows. */
  readonly volume: string | null;
  /** Σ price × quantity; null for ticker and COIN-M windows. */
  readonly quoteVolume: string | null;
  /** COIN-M windows only: Σ quantity × contract size / price. */
  readonly baseVolume: string | null;
  /**
   * Σ quantity of the trades whose buyer was the taker (Binance's taker buy base asset volume;
   * contracts for COIN-M); null for ticker windows and when unknown (rows from before it was kept).
   */
  readonly takerBuyVolume: string | null;
  /** Σ price × quantity of those trades; null for ticker and COIN-M windows and when unknown. */
  readonly takerBuyQuoteVolume: string | null;
  /** COIN-M windows only: Σ quantity × contract size / price of those trades. */
  readonly takerBuyBaseVolume: string | null;
  readonly vwap: string | null;
  readonly averagePrice: string;
  readonly tradeCount: number | null;
  readonly revision: number;
}
