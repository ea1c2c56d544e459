/**
 * Binance's kline intervals that are a whole number of seconds up to a day (`3d`, `1w` and `1M`
 * are longer and `1M` is not even a fixed length). Every one of them divides a day, so windows
 * of every size are aligned to UTC midnight, as Binance's klines are.
 */
export const KLINE_INTERVALS: Readonly<Record<string, number>> = Object.freeze({
  '1s': 1_000,
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '2h': 7_200_000,
  '4h': 14_400_000,
  '6h': 21_600_000,
  '8h': 28_800_000,
  '12h': 43_200_000,
  '1d': 86_400_000,
});

/** A window size, in milliseconds and as Binance names it. */
export interface WindowSize {
  readonly ms: number;
  /** Binance's interval text, `5m`; also what `moving_averages.window_size` stores. */
  readonly label: string;
}

/** The interval text of a size in ms (`300000` → `5m`), or undefined when Binance has none. */
export function klineIntervalOf(ms: number): string | undefined {
  return Object.keys(KLINE_INTERVALS).find((label) => KLINE_INTERVALS[label] === ms);
}

/** What `moving_averages.window_size` says for a size: Binance's interval, else seconds (`90s`). */
export function windowSizeLabel(ms: number): string {
  return klineIntervalOf(ms) ?? `${ms / 1000}s`;
}

/**
 * Parses a comma-separated list of kline intervals (`1m,5m,1h`) into sizes, smallest first,
 * without duplicates. Throws an Error saying what is wrong: an unknown interval, an empty list,
 * or a size that the smallest one does not divide (larger windows are rolled up from the
 * smallest, so each must be a whole number of them: `3m,5m` cannot be).
 */
export function parseWindowSizes(text: string): WindowSize[] {
  const labels = text.split(',').map((part) => part.trim()).filter((part) => part !== '');
  if (labels.length === 0) throw new Error(`expected a comma-separated list of kline intervals like 1m,5m,1h, got ${JSON.stringify(text)}`);
  const sizes = new Map<number, WindowSize>();
  for (const label of labels) {
    const ms = KLINE_INTERVALS[label];
    if (ms === undefined) {
      throw new Error(`${JSON.stringify(label)} is not a Binance kline interval of at most a day; use one of ${Object.keys(KLINE_INTERVALS).join(', ')}`);
    }
    sizes.set(ms, { ms, label });
  }
  const sorted = [...sizes.values()].sort((a, b) => a.ms - b.ms);
  const finest = sorted[0];
  for (const size of sorted) {
    if (size.ms % finest.ms !== 0) throw new Error(`${size.label} is not a whole number of ${finest.label} windows, the smallest size listed`);
  }
  return sorted;
}
