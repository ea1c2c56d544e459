/**
 * Prices and quantities travel as decimal strings ("43200.12"), never as floats, so that every
 * digit Binance sent reaches the window arithmetic unchanged. At most 20 integer and 18 fraction
 * digits; no sign, exponent, or leading zeros.
 */
export const DECIMAL_STRING = /^(0|[1-9]\d{0,19})(\.\d{1,18})?$/;

/** A decimal string whose value is greater than zero ("0.00" is not). */
export function isPositiveDecimal(value: string): boolean {
  return DECIMAL_STRING.test(value) && /[1-9]/.test(value);
}

/**
 * "1443073.0000000000" and "1443073" are the same decimal: strips the fraction zeros that carry
 * no value (DECIMAL columns come back padded). Text that is not a decimal is returned as it is.
 */
export function canonicalDecimal(value: string): string {
  return /^-?\d+\.\d+$/.test(value) ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
}
