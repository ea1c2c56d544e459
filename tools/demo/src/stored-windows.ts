import type { Pool, RowDataPacket } from 'mysql2/promise';
import { StoredWindow } from './kline-check';

/** The symbol of the demo's clock messages (see run-demo), left out of what it reads back. */
export const CLOCK_SYMBOL = 'DEMOCLOCK';

/** Reads `moving_averages` back, ordered by symbol, size and start. */
export async function readStoredWindows(pool: Pool): Promise<StoredWindow[]> {
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT symbol, window_size, start_time, end_time, average_price, open, high, low, close, volume, quote_volume, base_volume, trade_count,
            taker_buy_volume, taker_buy_quote_volume, taker_buy_base_volume
       FROM moving_averages WHERE symbol <> ? ORDER BY symbol, TIMESTAMPDIFF(SECOND, start_time, end_time), start_time`,
    [CLOCK_SYMBOL],
  );
  return rows.map((row) => ({
    symbol: row['symbol'],
    windowSize: row['window_size'],
    startMs: Date.parse(`${row['start_time'].replace(' ', 'T')}Z`),
    endMs: Date.parse(`${row['end_time'].replace(' ', 'T')}Z`),
    averagePrice: row['average_price'],
    open: row['open'],
    high: row['high'],
    low: row['low'],
    close: row['close'],
    volume: row['volume'],
    quoteVolume: row['quote_volume'],
    baseVolume: row['base_volume'],
    tradeCount: Number(row['trade_count']),
    takerBuyVolume: row['taker_buy_volume'],
    takerBuyQuoteVolume: row['taker_buy_quote_volume'],
    takerBuyBaseVolume: row['taker_buy_base_volume'],
  }));
}

/** Rows in `moving_averages`; 0 while the aggregator has not created the table yet. */
export async function countStoredWindows(pool: Pool): Promise<number> {
  try {
    const [[row]] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM moving_averages WHERE symbol <> ?', [CLOCK_SYMBOL]);
    return Number(row['n']);
  } catch (error) {
    if ((error as { code?: string }).code === 'ER_NO_SUCH_TABLE') return 0;
    throw error;
  }
}
