import { bigPow10 } from './scaled-decimal';

/**
 * `value / 10^scale` as the shortest plain decimal string: no exponent, no trailing fraction
 * zeros ("1443073", "0.23103", "332948.24274").
 */
export function formatScaled(value: bigint | number, scale: number): string {
  let digits = value.toString();
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new Error(`not a safe integer: ${value}`);
  const negative = digits.startsWith('-');
  if (negative) digits = digits.slice(1);
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    const whole = digits.slice(0, digits.length - scale);
    const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
    digits = fraction === '' ? whole : `${whole}.${fraction}`;
  }
  return negative ? `-${digits}` : digits;
}

/**
 * numerator / 10^scale / divisor, rounded half-up (away from zero on .5) to `places` decimals,
 * with exactly `places` fraction digits ("0.23080000"). For non-negative numerators.
 */
export function divideHalfUp(numerator: bigint, scale: number, divisor: bigint, places: number): string {
  if (divisor <= 0n) throw new Error('divisor must be positive');
  // q = numerator * 10^places / (10^scale * divisor), rounded half-up.
  let top = numerator;
  let bottom = divisor;
  if (places >= scale) top *= bigPow10(places - scale);
  else bottom *= bigPow10(scale - places);
  const quotient = (2n * top + bottom) / (2n * bottom);
  const digits = quotient.toString().padStart(places + 1, '0');
  return places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
}
