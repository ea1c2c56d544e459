import { divideHalfUp } from './decimal/format-decimal';

/** Decimal places of the averages (average_price, vwap), rounded half-up. */
export const AVERAGE_PLACES = 8;

/**
 * `average_price`: the mean of `count` prices whose exact sum is `priceSum / 10^scale`, half-up
 * to {@link AVERAGE_PLACES} decimals with all of them written ("0.23080000").
 */
export function averagePriceOf(priceSum: bigint, scale: number, count: number): string {
  return divideHalfUp(priceSum, scale, BigInt(count), AVERAGE_PLACES);
}

/**
 * `vwap`: quote volume / volume, both scaled integers, half-up to {@link AVERAGE_PLACES}
 * decimals; null without volume.
 */
export function vwapOf(quote: bigint, quoteScale: number, volume: bigint, volumeScale: number): string | null {
  if (volume === 0n) return null;
  // (quote / 10^qs) / (volume / 10^vs) = quote * 10^vs / (volume * 10^qs)
  return divideHalfUp(quote * 10n ** BigInt(volumeScale), quoteScale, volume, AVERAGE_PLACES);
}
