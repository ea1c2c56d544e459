/**
 * Binance's archives give times in milliseconds, except the spot archives since 2025-01-01,
 * which give microseconds. A file uses one unit; its first timestamp tells which: epoch
 * milliseconds stay below 10^14 until the year 5138, epoch microseconds are above it since 1973.
 */
const MICROSECONDS_FROM = 1e14;

export type TimeUnit = 'ms' | 'us';

/** Decides a file's unit on its first timestamp and converts the others to epoch ms. */
export class TimeUnitDetector {
  #unit: TimeUnit | undefined;

  get unit(): TimeUnit | undefined {
    return this.#unit;
  }

  /** Epoch ms for a raw timestamp, or a string saying why it does not fit the file's unit. */
  toMs(raw: number): number | string {
    const unit = raw >= MICROSECONDS_FROM ? 'us' : 'ms';
    this.#unit ??= unit;
    if (unit !== this.#unit) return `timestamp ${raw} looks like ${unit === 'us' ? 'microseconds' : 'milliseconds'}, but this file is in ${this.#unit === 'us' ? 'microseconds' : 'milliseconds'}`;
    return unit === 'us' ? Math.floor(raw / 1000) : raw;
  }
}
