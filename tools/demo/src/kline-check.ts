import type { Kline } from '@cryptostream/market-data';
import { canonicalDecimal } from '@cryptostream/schema';
import type { WindowFigures } from '@cryptostream/windowing';

/** A row of `moving_averages` as the demo reads it back (decimals as MySQL returns them). */
export type StoredWindow = Pick<
  WindowFigures,
  'symbol' | 'startMs' | 'endMs' | 'averagePrice' | 'open' | 'high' | 'low' | 'close' | 'volume' | 'quoteVolume' | 'tradeCount'
> & {
  readonly windowSize: string;
  readonly baseVolume: string | null;
  readonly takerBuyVolume: string | null;
  readonly takerBuyQuoteVolume: string | null;
  readonly takerBuyBaseVolume: string | null;
};

const KLINE_FIELDS = ['open', 'high', 'low', 'close', 'volume', 'quoteVolume', 'tradeCount', 'takerBuyVolume', 'takerBuyQuoteVolume'] as const;
const WINDOW_FIELDS = ['endMs', 'averagePrice', ...KLINE_FIELDS, 'baseVolume', 'takerBuyBaseVolume'] as const;

export interface KlineCheck {
  readonly compared: number;
  /** One line per differing field or missing interval; empty when all compared intervals match. */
  readonly differences: string[];
  /** Per window size: intervals compared and intervals equal in every field. */
  readonly bySize: ReadonlyArray<{ readonly size: string; readonly compared: number; readonly equal: number }>;
}

/**
 * Compares stored windows of one size with Binance's klines of that size, field by field, as
 * exact decimals ("1443073.0000000000" equals "1443073").
 */
export function compareWithKlines(rows: readonly StoredWindow[], klines: readonly Kline[], size: string): KlineCheck {
  const byStart = new Map(rows.map((row) => [row.startMs, row]));
  const differences: string[] = [];
  let equal = 0;
  for (const kline of klines) {
    const row = byStart.get(kline.openTimeMs);
    const interval = `${size} ${new Date(kline.openTimeMs).toISOString()}`;
    if (!row) {
      differences.push(`${interval}: no window in MySQL`);
      continue;
    }
    const before = differences.length;
    for (const field of KLINE_FIELDS) {
      const ours = canonicalDecimal(String(row[field]));
      const binance = canonicalDecimal(String(kline[field]));
      if (ours !== binance) differences.push(`${interval} ${field}: ours ${ours}, Binance ${binance}`);
    }
    if (differences.length === before) equal++;
  }
  return { compared: klines.length, differences, bySize: [{ size, compared: klines.length, equal }] };
}

const windowKey = (row: StoredWindow) => `${row.symbol} ${row.windowSize} ${new Date(row.startMs).toISOString()}`;

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
