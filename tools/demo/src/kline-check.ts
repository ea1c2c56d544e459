import { canonicalDecimal, Kline } from './kline-file';

/** A row of `moving_averages` as the demo reads it back (decimals as MySQL returns them). */
export interface StoredWindow {
  readonly symbol: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly averagePrice: string;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
  readonly quoteVolume: string;
  readonly tradeCount: number;
}

const FIELDS = ['open', 'high', 'low', 'close', 'volume', 'quoteVolume', 'tradeCount'] as const;

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
    for (const field of FIELDS) {
      const ours = canonicalDecimal(String(row[field]));
      const binance = canonicalDecimal(String(kline[field]));
      if (ours !== binance) differences.push(`${minute} ${field}: ours ${ours}, Binance ${binance}`);
    }
  }
  return { compared: klines.length, differences };
}
