/**
 * The storage contract of prices and quantities: at most this many integer digits…
 * MySQL holds every accepted value exactly (libs/persistence derives its column types from
 * these limits and checks them at start-up), so a value is stored as sent or refused with a
 * reason, never rounded. Binance's largest prices and quantities have 10 integer digits and its
 * finest steps 8 fraction digits.
 */
export const DECIMAL_INTEGER_DIGITS = 15;
/** …and at most this many fraction digits (trailing zeros count: "0.50000000" has 8). */
export const DECIMAL_FRACTION_DIGITS = 12;
/** The longest decimal string accepted: all integer digits, the point, all fraction digits. */
export const DECIMAL_MAX_LENGTH = DECIMAL_INTEGER_DIGITS + 1 + DECIMAL_FRACTION_DIGITS;
/** The longest symbol accepted; `moving_averages.symbol` holds as many characters. */
export const SYMBOL_MAX_LENGTH = 32;

/**
 * Prices and quantities travel as decimal strings ("43200.12"), never as floats, so that every
 * digit Binance sent reaches the window arithmetic unchanged. At most
 * {@link DECIMAL_INTEGER_DIGITS} integer and {@link DECIMAL_FRACTION_DIGITS} fraction digits;
 * no sign, exponent, or leading zeros.
 */
export const DECIMAL_STRING = new RegExp(`^(0|[1-9]\\d{0,${DECIMAL_INTEGER_DIGITS - 1}})(\\.\\d{1,${DECIMAL_FRACTION_DIGITS}})?$`);

/** A decimal string whose value is greater than zero ("0.00" is not). */
export function isPositiveDecimal(value: string): boolean {
  return DECIMAL_STRING.test(value) && /[1-9]/.test(value);
}

/**
 * "1443073.0000000000" and "1443073" are the same decimal: strips the fraction zeros that carry
 * no value (DECIMAL columns come back padded to their scale: `0.2308000000` → `0.2308`,
 * `12.0000000000` → `12`), by char codes, without a regex per cell: rows are read with it.
 * For decimal text; text without a point is returned as it is.
 */
export function canonicalDecimal(value: string): string {
  if (value.indexOf('.') < 0) return value;
  let end = value.length;
  while (value.charCodeAt(end - 1) === 48) end--;
  if (value.charCodeAt(end - 1) === 46) end--;
  return end === value.length ? value : value.slice(0, end);
}
