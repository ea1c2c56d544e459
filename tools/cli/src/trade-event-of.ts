import type { MarketTrade } from '@cryptostream/market-data';
import type { TradeEvent } from '@cryptostream/windowing';

/** The engine's view of an exchange trade: bucketed on the trade time `T`, as Binance's klines are. */
export function tradeEventOf(trade: MarketTrade, sequence?: number): TradeEvent {
  return {
    symbol: trade.symbol, price: trade.price, quantity: trade.quantity, eventTimeMs: trade.tradeTimeMs,
    tradeId: trade.tradeId, tradeCount: trade.tradeCount, isBuyerMaker: trade.isBuyerMaker, ...(sequence === undefined ? {} : { sequence }),
  };
}
