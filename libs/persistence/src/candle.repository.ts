import { canonicalDecimal, type CandleFigures } from '@cryptostream/schema';
import type { RowDataPacket, TypeCast } from 'mysql2/promise';
import type { SqlPool } from './sql-executor';
import { toMysqlDateTime } from './window-row';

/** A stored (closed) window as readers see it. */
export type StoredCandle = CandleFigures;

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

/**
 * The fields of a candle row's text ({@link CandleRowPage}), in this order, comma-separated, an
 * empty field for NULL. Every row is ASCII and needs no escaping in JSON: `source` is `trades` or
 * `ticker`; `startMs`, `endMs`, `tradeCount` and `revision` are whole numbers (times in epoch ms);
 * the others are DECIMAL text as MySQL prints it, digits and a point, `-` first when negative,
 * padded to the column's scale (`60770.990000000000`: `canonicalDecimal` strips the padding).
 */
export const CANDLE_ROW_FIELDS = [
  'source', 'startMs', 'endMs', 'open', 'high', 'low', 'close', 'volume', 'quoteVolume', 'baseVolume', 'takerBuyVolume', 'takerBuyQuoteVolume', 'takerBuyBaseVolume', 'vwap',
  'averagePrice', 'tradeCount', 'revision',
] as const;
export type CandleRowField = (typeof CANDLE_ROW_FIELDS)[number];

/** One page of candles as row text: what the API turns into JSON without a candle object. */
export interface CandleRowPage {
  /** One row a candle ({@link CANDLE_ROW_FIELDS}), newest last. */
  readonly rows: Buffer[];
  /** True when more candles lie beyond the page in its direction. */
  readonly more: boolean;
}

export interface SymbolSpan {
  readonly symbol: string;
  readonly firstStartMs: number;
  readonly latestStartMs: number;
}

/*
 * A UTC DATETIME as epoch ms, computed by MySQL: TO_SECONDS counts from year 0 whatever the
 * session's time zone (UNIX_TIMESTAMP would read the DATETIME in it), 62167219200 is
 * TO_SECONDS('1970-01-01'), and DATETIME(3) keeps milliseconds in MICROSECOND.
 */
const epochMsSql = (column: string) => `(TO_SECONDS(${column}) - 62167219200) * 1000 + MICROSECOND(${column}) DIV 1000`;
const orEmpty = (column: string) => `IFNULL(${column}, '')`;
const ROW_FIELD_SQL: Readonly<Record<CandleRowField, string>> = {
  source: 'source', startMs: epochMsSql('start_time'), endMs: epochMsSql('end_time'), open: 'open', high: 'high', low: 'low', close: 'close',
  volume: orEmpty('volume'), quoteVolume: orEmpty('quote_volume'), baseVolume: orEmpty('base_volume'),
  takerBuyVolume: orEmpty('taker_buy_volume'), takerBuyQuoteVolume: orEmpty('taker_buy_quote_volume'), takerBuyBaseVolume: orEmpty('taker_buy_base_volume'), vwap: orEmpty('vwap'),
  averagePrice: 'average_price', tradeCount: orEmpty('trade_count'), revision: 'revision',
};
const ROW_TEXT_SQL = `CONCAT_WS(',', ${CANDLE_ROW_FIELDS.map((field) => ROW_FIELD_SQL[field]).join(', ')})`;
/*
 * One string a row, taken as the bytes of the packet it came in (a Buffer slice): no string is
 * decoded a cell (a string a cell cost the API more CPU than the query), nor a row;
 * CAST(… AS BINARY) would do the same at more of MySQL's CPU.
 */
const rowBytes: TypeCast = (field) => field.buffer();

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
  constructor(private readonly pool: SqlPool) {}

  /** A page of {@link StoredCandle}s (reads {@link pageRows}). */
  async page(query: CandlePageQuery): Promise<CandlePage> {
    const { rows, more } = await this.pageRows(query);
    return { candles: rows.map((row) => candleOfRowText(query.symbol, row)), more };
  }

  /** A page as row text, for readers that write it out without building candle objects. */
  async pageRows(query: CandlePageQuery): Promise<CandleRowPage> {
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
    // On a lent connection, not Pool#query: mysql2's pool keeps each finished query reachable
    // from the next long enough that a page's row objects survive young-generation GCs, which
    // doubles the CPU and the pauses of a page.
    const connection = await this.pool.getConnection();
    let result: RowDataPacket[][];
    try {
      [result] = await connection.query<RowDataPacket[][]>(
        { sql: `SELECT ${ROW_TEXT_SQL} FROM moving_averages WHERE ${where.join(' AND ')} ORDER BY start_time ${order} LIMIT ?`, rowsAsArray: true, typeCast: rowBytes },
        [...params, query.limit + 1],
      );
    } finally {
      connection.release();
    }
    const more = result.length > query.limit;
    const rows = new Array<Buffer>(Math.min(result.length, query.limit));
    for (let i = 0; i < rows.length; i++) rows[i] = result[query.direction === 'backward' ? rows.length - 1 - i : i][0] as Buffer;
    return { rows, more };
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

  /** Whether any window of `symbol` is stored (one key lookup). */
  async hasSymbol(symbol: string): Promise<boolean> {
    const [rows] = await this.pool.query<RowDataPacket[]>('SELECT 1 FROM moving_averages WHERE symbol = ? LIMIT 1', [symbol]);
    return rows.length > 0;
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

/** A candle of `symbol` from its row text ({@link CANDLE_ROW_FIELDS}). */
export function candleOfRowText(symbol: string, row: Buffer): StoredCandle {
  const fields = row.toString('latin1').split(',');
  const field = (name: CandleRowField) => fields[CANDLE_ROW_FIELDS.indexOf(name)];
  const decimalOrNull = (name: CandleRowField) => (field(name) === '' ? null : canonicalDecimal(field(name)));
  return {
    symbol,
    source: field('source') === 'ticker' ? 'ticker' : 'trades',
    startMs: Number(field('startMs')),
    endMs: Number(field('endMs')),
    open: canonicalDecimal(field('open')),
    high: canonicalDecimal(field('high')),
    low: canonicalDecimal(field('low')),
    close: canonicalDecimal(field('close')),
    volume: decimalOrNull('volume'),
    quoteVolume: decimalOrNull('quoteVolume'),
    baseVolume: decimalOrNull('baseVolume'),
    takerBuyVolume: decimalOrNull('takerBuyVolume'),
    takerBuyQuoteVolume: decimalOrNull('takerBuyQuoteVolume'),
    takerBuyBaseVolume: decimalOrNull('takerBuyBaseVolume'),
    vwap: decimalOrNull('vwap'),
    averagePrice: canonicalDecimal(field('averagePrice')),
    tradeCount: field('tradeCount') === '' ? null : Number(field('tradeCount')),
    revision: Number(field('revision')),
  };
}
