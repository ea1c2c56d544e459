import type { PriceSource } from '@cryptostream/schema';
import { MarketTrade } from './market-trade';

/**
 * The `crypto_prices` message for a trade: the original fields (`symbol`, `price`, `timestamp`
 * in epoch seconds) plus what exact windows need. `eventTimeMs` is the trade time `T`, the field
 * Binance's klines bucket on. `contractSize` is given for a COIN-M (inverse) symbol only.
 */
export function priceMessageOfTrade(trade: MarketTrade, source: PriceSource, contractSize?: string) {
  return {
    symbol: trade.symbol,
    price: trade.price,
    timestamp: trade.tradeTimeMs / 1000,
    eventTimeMs: trade.tradeTimeMs,
    quantity: trade.quantity,
    tradeId: trade.tradeId,
    tradeCount: trade.tradeCount,
    isBuyerMaker: trade.isBuyerMaker,
    ...(contractSize === undefined ? {} : { contractSize }),
    source,
  };
}
