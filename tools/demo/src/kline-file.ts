import { readFile } from 'node:fs/promises';

/** One row of a Binance 1-minute kline file (data.binance.vision layout). */
export interface Kline {
  readonly openTimeMs: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
  readonly quoteVolume: string;
  readonly tradeCount: number;
}

/** Reads a kline CSV with or without its header row. */
export async function readKlineFile(path: string): Promise<Kline[]> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter((line) => /^\d/.test(line))
    .map((line) => {
      const [openTime, open, high, low, close, volume, , quoteVolume, count] = line.split(',');
      return { openTimeMs: Number(openTime), open, high, low, close, volume, quoteVolume, tradeCount: Number(count) };
    });
}

/** "1443073.0000000000" and "1443073" are the same decimal: strip the zeros that carry no value. */
export function canonicalDecimal(value: string): string {
  return value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
}
