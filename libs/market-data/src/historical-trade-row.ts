import { tradeFromStreamPayload } from './binance-payloads';
import { MarketTrade } from './market-trade';

/** One element of `GET /api/v3/historicalTrades` (or `/api/v3/trades`). */
export interface BinanceHistoricalTradeRow {
  id: number; price: string; qty: string; quoteQty?: string; time: number; isBuyerMaker: boolean; isBestMatch?: boolean;
}

/**
 * Maps one row of `GET /api/v3/historicalTrades` (which carries no symbol) to a
 * {@link MarketTrade}, like the `trade` event of the same trade; throws when a field is wrong.
 */
export function tradeFromHistoricalTradeRow(symbol: string, row: BinanceHistoricalTradeRow): MarketTrade {
  return tradeFromStreamPayload({ e: 'trade', E: row.time, T: row.time, s: symbol, t: row.id, p: row.price, q: row.qty, m: row.isBuyerMaker });
}
