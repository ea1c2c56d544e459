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
