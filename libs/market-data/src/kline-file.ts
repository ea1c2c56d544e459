import { readFile } from 'node:fs/promises';

/** One row of a Binance kline file (data.binance.vision layout): Binance's own aggregate of a minute. */
export interface Kline {
  readonly openTimeMs: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
  readonly quoteVolume: string;
  readonly tradeCount: number;
  /** Taker buy base asset volume: Σ quantity of the trades whose buyer took (`m` false). */
  readonly takerBuyVolume: string;
  /** Taker buy quote asset volume: Σ price × quantity of those trades. */
  readonly takerBuyQuoteVolume: string;
}

/** Reads a kline CSV with or without its header row. */
export async function readKlineFile(path: string): Promise<Kline[]> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter((line) => /^\d/.test(line))
    .map((line) => {
      const [openTime, open, high, low, close, volume, , quoteVolume, count, takerBuyVolume, takerBuyQuoteVolume] = line.split(',');
      return { openTimeMs: Number(openTime), open, high, low, close, volume, quoteVolume, tradeCount: Number(count), takerBuyVolume, takerBuyQuoteVolume };
    });
}

/**
 * Binance's larger klines from its 1-minute ones, as Binance defines them: first open, last
 * close, highest high, lowest low, sums of volume, quote volume, trade count and the taker-buy volumes; exact (decimal
 * strings summed as scaled integers). Only complete intervals come out: those whose every
 * minute is among `klines` (which must be 1-minute klines in time order).
 */
export function combineKlines(klines: readonly Kline[], intervalMs: number): Kline[] {
  const groups = new Map<number, Kline[]>();
  for (const kline of klines) {
    const start = kline.openTimeMs - (kline.openTimeMs % intervalMs);
    groups.set(start, [...(groups.get(start) ?? []), kline]);
  }
  return [...groups.entries()]
    .filter(([, group]) => group.length === intervalMs / 60_000)
    .map(([openTimeMs, group]) => ({
      openTimeMs,
      open: group[0].open,
      close: group[group.length - 1].close,
      high: group.map((k) => k.high).reduce((a, b) => (compareDecimal(a, b) >= 0 ? a : b)),
      low: group.map((k) => k.low).reduce((a, b) => (compareDecimal(a, b) <= 0 ? a : b)),
      volume: sumDecimals(group.map((k) => k.volume)),
      quoteVolume: sumDecimals(group.map((k) => k.quoteVolume)),
      tradeCount: group.reduce((sum, k) => sum + k.tradeCount, 0),
      takerBuyVolume: sumDecimals(group.map((k) => k.takerBuyVolume)),
      takerBuyQuoteVolume: sumDecimals(group.map((k) => k.takerBuyQuoteVolume)),
    }));
}

const scaleOf = (text: string) => text.split('.')[1]?.length ?? 0;
const scaled = (text: string, scale: number) => BigInt(text.replace('.', '') + '0'.repeat(scale - scaleOf(text)));

function compareDecimal(a: string, b: string): number {
  const scale = Math.max(scaleOf(a), scaleOf(b));
  const difference = scaled(a, scale) - scaled(b, scale);
  return difference > 0n ? 1 : difference < 0n ? -1 : 0;
}

function sumDecimals(values: readonly string[]): string {
  const scale = Math.max(...values.map(scaleOf));
  const digits = values.reduce((sum, value) => sum + scaled(value, scale), 0n).toString().padStart(scale + 1, '0');
  return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
