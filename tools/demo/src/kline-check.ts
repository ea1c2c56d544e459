import type { Kline } from '@cryptostream/market-data';
import { canonicalDecimal } from '@cryptostream/schema';
import type { ClosedWindow } from '@cryptostream/windowing';

/** A row of `moving_averages` as the demo reads it back (decimals as MySQL returns them). */
export type StoredWindow = Pick<
  ClosedWindow,
  'symbol' | 'startMs' | 'endMs' | 'averagePrice' | 'open' | 'high' | 'low' | 'close' | 'volume' | 'quoteVolume' | 'tradeCount'
>;

const KLINE_FIELDS = ['open', 'high', 'low', 'close', 'volume', 'quoteVolume', 'tradeCount'] as const;
const WINDOW_FIELDS = ['endMs', 'averagePrice', ...KLINE_FIELDS] as const;

export interface KlineCheck {
  readonly compared: number;
  /** One line per differing field or missing minute; empty when all compared minutes match. */
  readonly differences: string[];
}

/**
 * Compares stored windows with Binance's klines for the given minutes, field by field, as exact
 * decimals ("1443073.0000000000" equals "1443073").
 */
export function compareWithKlines(rows: readonly StoredWindow[], klines: readonly Kline[]): KlineCheck {
  const byStart = new Map(rows.map((row) => [row.startMs, row]));
  const differences: string[] = [];
  for (const kline of klines) {
    const row = byStart.get(kline.openTimeMs);
    const minute = new Date(kline.openTimeMs).toISOString();
    if (!row) {
      differences.push(`${minute}: no window in MySQL`);
      continue;
    }
    for (const field of KLINE_FIELDS) {
      const ours = canonicalDecimal(String(row[field]));
      const binance = canonicalDecimal(String(kline[field]));
      if (ours !== binance) differences.push(`${minute} ${field}: ours ${ours}, Binance ${binance}`);
    }
  }
  return { compared: klines.length, differences };
}

const windowKey = (row: StoredWindow) => `${row.symbol} ${new Date(row.startMs).toISOString()}`;

/**
 * Compares the windows in MySQL with the expected ones (the offline `aggregate` result): every
 * window present once, nothing extra, every value equal as an exact decimal.
 */
export function compareWindows(stored: readonly StoredWindow[], expected: readonly StoredWindow[]): string[] {
  const storedByKey = new Map(stored.map((row) => [windowKey(row), row]));
  const differences: string[] = [];
  for (const want of expected) {
    const key = windowKey(want);
    const got = storedByKey.get(key);
    storedByKey.delete(key);
    if (!got) {
      differences.push(`${key}: missing`);
      continue;
    }
    for (const field of WINDOW_FIELDS) {
      if (canonicalDecimal(String(got[field])) !== canonicalDecimal(String(want[field]))) {
        differences.push(`${key} ${field}: stored ${got[field]}, expected ${want[field]}`);
      }
    }
  }
  for (const key of storedByKey.keys()) differences.push(`${key}: not expected`);
  return differences;
}
