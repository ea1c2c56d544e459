/**
 * One exchange trade, whatever it was read from: a live WebSocket event, a REST page of
 * aggTrades, a recorded CSV, a Binance archive file. Prices and quantities stay decimal strings.
 */
export interface MarketTrade {
  readonly symbol: string;
  /** `trade`: one exchange trade; `aggTrade`: trades aggregated by Binance (same price, taker, ms). */
  readonly kind: 'trade' | 'aggTrade';
  /** Trade id, or aggregate trade id for `aggTrade`. */
  readonly tradeId: number;
  readonly price: string;
  readonly quantity: string;
  /** Trade time (Binance `T`), epoch ms: windows are bucketed on it, as Binance's klines are. */
  readonly tradeTimeMs: number;
  /** Event time (Binance `E`), epoch ms, when known. */
  readonly eventTimeMs?: number;
  readonly isBuyerMaker: boolean;
  /** Exchange trades behind the record: 1 for a trade, last - first + 1 for an aggTrade. */
  readonly tradeCount: number;
  readonly firstTradeId?: number;
  readonly lastTradeId?: number;
  /** Futures execution type (`X`): MARKET, or NA/ADL/INSURANCE_FUND/empty for non-market fills. */
  readonly executionType?: string;
}

/**
 * Why a trade is not a real market trade, or undefined when it is. Binance's own klines leave
 * such trades out (a zero-price fill with an empty `X` in the TRXUSDT recording, for one), so
 * windows must too.
 */
export function nonMarketReason(trade: MarketTrade): string | undefined {
  if (!/[1-9]/.test(trade.price) || trade.price.startsWith('-')) return `non-positive price ${trade.price}`;
  if (trade.executionType !== undefined && trade.executionType !== 'MARKET') {
    return `execution type ${JSON.stringify(trade.executionType)} is not MARKET`;
  }
  return undefined;
}
