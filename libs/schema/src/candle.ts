import type { WindowFigures } from '@cryptostream/windowing';

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

/** The figures of {@link CandleFigures} that may be null, and the source that decides most of them. */
export type NullableCandleFigures = Pick<CandleFigures, 'source' | 'volume' | 'quoteVolume' | 'baseVolume' | 'takerBuyVolume' | 'takerBuyQuoteVolume' | 'takerBuyBaseVolume' | 'vwap' | 'tradeCount'>;

const NO_TAKER_BUY = Object.freeze({ takerBuyVolume: null, takerBuyQuoteVolume: null, takerBuyBaseVolume: null });

/**
 * The one rule for which figures a window reports, used by the row writer, the update publisher
 * and every check of them: a ticker window has no volumes, VWAP, trade count or taker-buy
 * volumes (ticker observations are not trades); a COIN-M window (one with a base volume) has a
 * base volume instead of a quote volume, for its taker buys too (Σ price × contracts means
 * nothing); taker-buy volumes are null where a trade's side was not known.
 */
export function candleFigures(window: WindowFigures): NullableCandleFigures {
  const trades = window.source !== 'ticker';
  const coinM = window.baseVolume !== undefined;
  const takerBuy = !trades || window.takerBuyVolume === undefined ? NO_TAKER_BUY : {
    takerBuyVolume: window.takerBuyVolume,
    takerBuyQuoteVolume: coinM ? null : window.takerBuyQuoteVolume ?? null,
    takerBuyBaseVolume: window.takerBuyBaseVolume ?? null,
  };
  return {
    source: trades ? 'trades' : 'ticker',
    volume: trades ? window.volume : null,
    quoteVolume: trades && !coinM ? window.quoteVolume : null,
    baseVolume: window.baseVolume ?? null,
    ...takerBuy,
    vwap: trades ? window.vwap : null,
    tradeCount: trades ? window.tradeCount : null,
  };
}
