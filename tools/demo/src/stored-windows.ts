import type { Pool, RowDataPacket } from 'mysql2/promise';
import { StoredWindow } from './kline-check';

/** Reads `moving_averages` back, ordered by symbol and start. */
export async function readStoredWindows(pool: Pool): Promise<StoredWindow[]> {
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT symbol, start_time, end_time, average_price, open, high, low, close, volume, quote_volume, trade_count
       FROM moving_averages ORDER BY symbol, start_time`,
  );
  return rows.map((row) => ({
    symbol: row['symbol'],
    startMs: Date.parse(`${row['start_time'].replace(' ', 'T')}Z`),
    endMs: Date.parse(`${row['end_time'].replace(' ', 'T')}Z`),
    averagePrice: row['average_price'],
    open: row['open'],
    high: row['high'],
    low: row['low'],
    close: row['close'],
    volume: row['volume'],
    quoteVolume: row['quote_volume'],
    tradeCount: Number(row['trade_count']),
  }));
}

/** Rows in `moving_averages`; 0 while the aggregator has not created the table yet. */
export async function countStoredWindows(pool: Pool): Promise<number> {
  try {
    const [[row]] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM moving_averages');
    return Number(row['n']);
  } catch (error) {
    if ((error as { code?: string }).code === 'ER_NO_SUCH_TABLE') return 0;
    throw error;
  }
}
