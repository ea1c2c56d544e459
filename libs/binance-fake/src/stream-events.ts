import type { MarketTrade } from '@cryptostream/market-data';
import { fixed } from './klines';
import type { FakeAggTrade } from './recorded-market';

/** A spot `trade` event as Binance sends it (decimals with 8 digits, `M` always true). */
export function tradeEvent(trade: MarketTrade) {
  return { e: 'trade', E: trade.eventTimeMs ?? trade.tradeTimeMs, s: trade.symbol, t: trade.tradeId, p: fixed(trade.price), q: fixed(trade.quantity), T: trade.tradeTimeMs, m: trade.isBuyerMaker, M: true };
}

/** A spot `aggTrade` event as Binance sends it. */
export function aggTradeEvent(symbol: string, agg: FakeAggTrade) {
  return { e: 'aggTrade', E: agg.E, s: symbol, a: agg.a, p: fixed(agg.p), q: fixed(agg.q), f: agg.f, l: agg.l, T: agg.T, m: agg.m, M: true };
}
