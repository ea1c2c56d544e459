import { CryptostreamError, DECIMAL_FRACTION_DIGITS, DECIMAL_INTEGER_DIGITS, SYMBOL_MAX_LENGTH } from '@cryptostream/schema';
import { AVERAGE_PLACES, BASE_QUANTITY_PLACES } from '@cryptostream/windowing';
import type { RowDataPacket } from 'mysql2/promise';
import type { SqlExecutor } from './sql-executor';

/** MySQL's DECIMAL limits: 65 digits in all, 30 of them after the point. */
const MYSQL_MAX_PRECISION = 65;
const MYSQL_MAX_SCALE = 30;

/**
 * Extra integer digits of the sums (volume, quote volume): a window adds at most 2^32 - 1 events
 * (`event_count` is INT UNSIGNED, so a larger window is refused as a whole), and 2^32 - 1 terms
 * below 10^n sum below 10^(n + 10).
 */
export const SUM_HEADROOM_DIGITS = 10;

/** What a column must hold exactly, derived from the message schema's limits. */
export type ColumnNeed =
  | { readonly kind: 'decimal'; readonly integerDigits: number; readonly fractionDigits: number }
  | { readonly kind: 'unsigned'; readonly bits: 32 | 64 }
  | { readonly kind: 'varchar'; readonly length: number };

const I = DECIMAL_INTEGER_DIGITS;
const F = DECIMAL_FRACTION_DIGITS;
const decimal = (integerDigits: number, fractionDigits: number): ColumnNeed => ({ kind: 'decimal', integerDigits, fractionDigits });

/**
 * The value columns of `moving_averages` and what each must hold for every window of valid
 * messages to be stored exactly:
 * - open/high/low/close are prices: I integer, F fraction digits;
 * - averages are means of prices rounded half-up to AVERAGE_PLACES: the rounding may carry into
 *   one more integer digit (a mean of 999.999999999 is 1000.00000000);
 * - volume sums quantities, quote volume sums price × quantity products (I + I integer and
 *   F + F fraction digits each), both with {@link SUM_HEADROOM_DIGITS};
 * - base volume (COIN-M) sums quantity × contract size / price, each rounded half-up to
 *   BASE_QUANTITY_PLACES: below 10^I × 10^I × 10^F, plus one digit for the rounding's carry;
 * - the taker-buy volumes are parts of volume, quote volume and base volume: typed as those;
 * - trade_count and event_count are INT UNSIGNED: a window of more than 4,294,967,295 events or
 *   exchange trades (4,295 aggTrades of the largest count) is refused as a whole, with the reason,
 *   never stored changed.
 */
export const WINDOW_COLUMN_NEEDS: Readonly<Record<string, ColumnNeed>> = {
  symbol: { kind: 'varchar', length: SYMBOL_MAX_LENGTH },
  average_price: decimal(I + 1, AVERAGE_PLACES),
  open: decimal(I, F),
  high: decimal(I, F),
  low: decimal(I, F),
  close: decimal(I, F),
  volume: decimal(I + SUM_HEADROOM_DIGITS, F),
  quote_volume: decimal(I + I + SUM_HEADROOM_DIGITS, F + F),
  base_volume: decimal(I + I + F + 1 + SUM_HEADROOM_DIGITS, BASE_QUANTITY_PLACES),
  taker_buy_volume: decimal(I + SUM_HEADROOM_DIGITS, F),
  taker_buy_quote_volume: decimal(I + I + SUM_HEADROOM_DIGITS, F + F),
  taker_buy_base_volume: decimal(I + I + F + 1 + SUM_HEADROOM_DIGITS, BASE_QUANTITY_PLACES),
  vwap: decimal(I + 1, AVERAGE_PLACES),
  trade_count: { kind: 'unsigned', bits: 32 },
  event_count: { kind: 'unsigned', bits: 32 },
};

/** The SQL type that holds exactly what `need` asks for (`DECIMAL(27,12)`, `BIGINT UNSIGNED`). */
export function sqlTypeOf(need: ColumnNeed): string {
  if (need.kind === 'varchar') return `VARCHAR(${need.length})`;
  if (need.kind === 'unsigned') return need.bits === 64 ? 'BIGINT UNSIGNED' : 'INT UNSIGNED';
  const precision = need.integerDigits + need.fractionDigits;
  if (precision > MYSQL_MAX_PRECISION || need.fractionDigits > MYSQL_MAX_SCALE) {
    throw new CryptostreamError(`DECIMAL(${precision},${need.fractionDigits}) is past MySQL's DECIMAL(65,30): lower the schema's digit limits`);
  }
  return `DECIMAL(${precision},${need.fractionDigits})`;
}

/**
 * Reads the live column types of `moving_averages` and throws, naming the column, when one holds
 * less than the message schema accepts (a migration is missing): otherwise MySQL would refuse or
 * round valid windows.
 */
export async function checkStorageContract(executor: SqlExecutor): Promise<void> {
  const [rows] = await executor.query<RowDataPacket[]>(
    'SELECT COLUMN_NAME AS name, DATA_TYPE AS type, COLUMN_TYPE AS full_type, NUMERIC_PRECISION AS `precision`, NUMERIC_SCALE AS scale, ' +
      "CHARACTER_MAXIMUM_LENGTH AS length FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'moving_averages'",
  );
  const live = new Map(rows.map((row) => [String(row['name']), row]));
  const problems = Object.entries(WINDOW_COLUMN_NEEDS).flatMap(([column, need]) => {
    const row = live.get(column);
    if (!row) return [`${column} is missing`];
    return holds(row, need) ? [] : [`${column} is ${String(row['full_type'])}, needs ${sqlTypeOf(need)}`];
  });
  if (problems.length > 0) {
    throw new CryptostreamError(`moving_averages cannot hold every valid window exactly (${problems.join('; ')}): apply the migrations`);
  }
}

function holds(row: RowDataPacket, need: ColumnNeed): boolean {
  const type = String(row['type']).toLowerCase();
  if (need.kind === 'varchar') return type === 'varchar' && Number(row['length']) >= need.length;
  if (need.kind === 'unsigned') {
    const unsigned = String(row['full_type']).toLowerCase().includes('unsigned');
    return unsigned && (type === 'bigint' || (need.bits === 32 && type === 'int'));
  }
  const scale = Number(row['scale']);
  return type === 'decimal' && scale >= need.fractionDigits && Number(row['precision']) - scale >= need.integerDigits;
}
