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
  readonly vwap: string | null;
  readonly averagePrice: string;
  readonly tradeCount: number | null;
  readonly revision: number;
}
