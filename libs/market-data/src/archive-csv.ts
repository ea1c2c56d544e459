import { MarketTrade } from './market-trade';

/**
 * Rows of Binance's public data archives (data.binance.vision), spot and futures:
 * - `trades`:    id, price, qty, quote_qty, time, is_buyer_maker[, is_best_match]
 * - `aggTrades`: agg_trade_id, price, qty, first_trade_id, last_trade_id, time, is_buyer_maker[, is_best_match]
 * Futures files have a header row and no is_best_match column; spot files have no header and an
 * is_best_match column. Times stay raw here (ms or µs): the reader converts them.
 */
export type ArchiveLayout = 'trades' | 'aggTrades';

/** A parsed row, its time still in the file's unit, or the reason it is malformed. */
export type ArchiveRow = { readonly trade: MarketTrade; readonly rawTime: number } | string;

const PRICE = /^-?\d+(\.\d+)?$/;
const QUANTITY = /^\d+(\.\d+)?$/;

export function parseArchiveRow(layout: ArchiveLayout, text: string, symbol: string): ArchiveRow {
  const cells = text.split(',');
  const aggregated = layout === 'aggTrades';
  const columns = aggregated ? [7, 8] : [6, 7];
  if (!columns.includes(cells.length)) return `expected ${columns.join(' or ')} columns for ${layout}, found ${cells.length}`;
  const [id, price, quantity] = cells;
  const timeCell = cells[aggregated ? 5 : 4];
  const buyerMaker = parseBoolean(cells[aggregated ? 6 : 5]);
  const tradeId = Number(id);
  const rawTime = Number(timeCell);
  if (!isId(tradeId) || !isId(rawTime) || id === '' || timeCell === '') return 'id and time must be non-negative integers';
  if (!PRICE.test(price) || !QUANTITY.test(quantity)) return 'price and quantity must be decimals';
  if (buyerMaker === undefined) return 'is_buyer_maker must be true or false';
  if (!aggregated) {
    return { rawTime, trade: { symbol, kind: 'trade', tradeId, price, quantity, tradeTimeMs: rawTime, isBuyerMaker: buyerMaker, tradeCount: 1 } };
  }
  const firstTradeId = Number(cells[3]);
  const lastTradeId = Number(cells[4]);
  if (!isId(firstTradeId) || !isId(lastTradeId) || cells[3] === '' || cells[4] === '') return 'first and last trade ids must be non-negative integers';
  if (lastTradeId < firstTradeId) return `last trade id ${lastTradeId} is before first trade id ${firstTradeId}`;
  return {
    rawTime,
    trade: {
      symbol, kind: 'aggTrade', tradeId, price, quantity, tradeTimeMs: rawTime, isBuyerMaker: buyerMaker,
      tradeCount: lastTradeId - firstTradeId + 1, firstTradeId, lastTradeId,
    },
  };
}

/**
 * The layout of a headerless archive row, from its shape: 6 columns are futures trades, 8 spot
 * aggTrades; with 7, the column after the time is a boolean for trades and a number for aggTrades.
 */
export function archiveLayoutOfRow(text: string): ArchiveLayout | undefined {
  const cells = text.split(',');
  if (cells.length === 6) return 'trades';
  if (cells.length === 8) return 'aggTrades';
  if (cells.length === 7) {
    if (parseBoolean(cells[5]) !== undefined) return 'trades';
    if (parseBoolean(cells[6]) !== undefined) return 'aggTrades';
  }
  return undefined;
}

/** The layout named by an archive header row, e.g. `agg_trade_id,price,quantity,…`. */
export function archiveLayoutOfHeader(text: string): ArchiveLayout | undefined {
  const header = text.toLowerCase();
  if (header.includes('first_trade_id') || header.startsWith('agg')) return 'aggTrades';
  if (header.includes('quote_qty') || header.startsWith('id,')) return 'trades';
  return undefined;
}

function parseBoolean(cell: string | undefined): boolean | undefined {
  const value = cell?.trim().toLowerCase();
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

function isId(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}
