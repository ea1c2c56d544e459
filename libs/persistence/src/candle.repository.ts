import { canonicalDecimal } from '@cryptostream/schema';
import type { RowDataPacket } from 'mysql2/promise';
import type { SqlExecutor } from './window.repository';
import { toMysqlDateTime } from './window-row';

/** A stored (closed) window as readers see it: exact decimal strings, epoch-ms times. */
export interface StoredCandle {
  readonly symbol: string;
  readonly source: 'trades' | 'ticker';
  readonly startMs: number;
  /** Exclusive. */
  readonly endMs: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  /** Null for ticker rows. */
  readonly volume: string | null;
  /** Null for ticker and COIN-M rows. */
  readonly quoteVolume: string | null;
  /** COIN-M rows only. */
  readonly baseVolume: string | null;
  readonly vwap: string | null;
  readonly averagePrice: string;
  readonly tradeCount: number | null;
  readonly revision: number;
}

/**
 * One page of candles. `forward` reads from `fromMs` on (oldest first); otherwise the newest
 * before `toMs` are read. Either way the page comes back newest-last. Keyset paging: the next
 * page starts after (forward) or before (backward) `afterMs`/`beforeMs`, never with OFFSET.
 */
export interface CandlePageQuery {
  readonly symbol: string;
  /** `moving_averages.window_size`: `1m`, `5m`, … */
  readonly windowSize: string;
  readonly direction: 'forward' | 'backward';
  /** Inclusive lower bound on the window start. */
  readonly fromMs?: number;
  /** Exclusive upper bound on the window start. */
  readonly toMs?: number;
  readonly limit: number;
}

export interface CandlePage {
  readonly candles: StoredCandle[];
  /** True when more candles lie beyond the page in its direction. */
  readonly more: boolean;
}

export interface SymbolSpan {
  readonly symbol: string;
  readonly firstStartMs: number;
  readonly latestStartMs: number;
}

const CANDLE_COLUMNS =
  'symbol, source, start_time, end_time, open, high, low, close, volume, quote_volume, base_volume, vwap, average_price, trade_count, revision';

/** `2025-03-04 00:00:00.000` (a UTC DATETIME as the pool returns it) → epoch ms. */
export function epochMsOfMysqlDateTime(text: string): number {
  return Date.parse(`${text.replace(' ', 'T')}Z`);
}

/**
 * Reads `moving_averages` for the API: pages of candles of one symbol and window size, the
 * symbols held, and the newest window. Every query walks the (symbol, window_size, start_time)
 * key or the start_time index.
 */
export class MysqlCandleRepository {
  constructor(private readonly pool: SqlExecutor) {}

  async page(query: CandlePageQuery): Promise<CandlePage> {
    const where = ['symbol = ?', 'window_size = ?'];
    const params: unknown[] = [query.symbol, query.windowSize];
    if (query.fromMs !== undefined) {
      where.push('start_time >= ?');
      params.push(toMysqlDateTime(query.fromMs));
    }
    if (query.toMs !== undefined) {
      where.push('start_time < ?');
      params.push(toMysqlDateTime(query.toMs));
    }
    const order = query.direction === 'forward' ? 'ASC' : 'DESC';
    const [rows] = await this.pool.query<RowDataPacket[]>(
      `SELECT ${CANDLE_COLUMNS} FROM moving_averages WHERE ${where.join(' AND ')} ORDER BY start_time ${order} LIMIT ?`,
      [...params, query.limit + 1],
    );
    const more = rows.length > query.limit;
    const candles = rows.slice(0, query.limit).map(candleOfRow);
    if (query.direction === 'backward') candles.reverse();
    return { candles, more };
  }

  /** Every symbol with windows of `windowSize`, with the start of its first and latest one. */
  async symbols(windowSize: string): Promise<SymbolSpan[]> {
    const [rows] = await this.pool.query<RowDataPacket[]>(
      'SELECT symbol, MIN(start_time) AS first_start, MAX(start_time) AS latest_start FROM moving_averages WHERE window_size = ? GROUP BY symbol ORDER BY symbol',
      [windowSize],
    );
    return rows.map((row) => ({
      symbol: String(row['symbol']),
      firstStartMs: epochMsOfMysqlDateTime(String(row['first_start'])),
      latestStartMs: epochMsOfMysqlDateTime(String(row['latest_start'])),
    }));
  }

  /** End of the newest stored window of `windowSize` (epoch ms), or undefined when there is none. */
  async newestWindowEndMs(windowSize: string): Promise<number | undefined> {
    const [rows] = await this.pool.query<RowDataPacket[]>(
      'SELECT end_time FROM moving_averages WHERE window_size = ? ORDER BY start_time DESC LIMIT 1',
      [windowSize],
    );
    return rows.length === 0 ? undefined : epochMsOfMysqlDateTime(String(rows[0]['end_time']));
  }
}

function candleOfRow(row: RowDataPacket): StoredCandle {
  return {
    symbol: String(row['symbol']),
    source: row['source'] === 'ticker' ? 'ticker' : 'trades',
    startMs: epochMsOfMysqlDateTime(String(row['start_time'])),
    endMs: epochMsOfMysqlDateTime(String(row['end_time'])),
    open: canonicalDecimal(String(row['open'])),
    high: canonicalDecimal(String(row['high'])),
    low: canonicalDecimal(String(row['low'])),
    close: canonicalDecimal(String(row['close'])),
    volume: decimalOrNull(row['volume']),
    quoteVolume: decimalOrNull(row['quote_volume']),
    baseVolume: decimalOrNull(row['base_volume']),
    vwap: decimalOrNull(row['vwap']),
    averagePrice: canonicalDecimal(String(row['average_price'])),
    tradeCount: row['trade_count'] === null ? null : Number(row['trade_count']),
    revision: Number(row['revision']),
  };
}

const decimalOrNull = (value: unknown): string | null => (value === null ? null : canonicalDecimal(String(value)));
