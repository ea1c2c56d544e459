/**
 * Exact decimals as scaled integers: value = mantissa / 10^scale. The mantissa is a JS Number
 * while it is a safe integer (the fast path, no allocation) and a BigInt beyond that.
 */

/** Largest integer the fast path keeps in a Number: sums of two such values stay exact (≤ 2^53). */
export const FAST_LIMIT = 2 ** 52;

/** 10^k for k = 0..22, each exact as a double. */
export const POW10: readonly number[] = Array.from({ length: 23 }, (_, k) => 10 ** k);

const BIG_POW10: bigint[] = [];

/** 10^k as a BigInt, cached. */
export function bigPow10(k: number): bigint {
  let value = BIG_POW10[k];
  if (value === undefined) {
    value = 10n ** BigInt(k);
    BIG_POW10[k] = value;
  }
  return value;
}

/**
 * A parsed decimal, written in place by {@link parseDecimal} so that the hot path allocates
 * nothing. `big` is set (and `mantissa` meaningless) only when the mantissa is not a safe integer.
 */
export class ScaledDecimal {
  mantissa = 0;
  big: bigint | undefined = undefined;
  scale = 0;

  /** Copies another value into this one. */
  assign(other: ScaledDecimal): void {
    this.mantissa = other.mantissa;
    this.big = other.big;
    this.scale = other.scale;
  }

  /** The mantissa as a BigInt, whichever path holds it. */
  bigMantissa(): bigint {
    return this.big ?? BigInt(this.mantissa);
  }
}

/**
 * Parses an unsigned decimal string (`"0.23103"`, `"243.0"`, `"5"`) into `out`, dropping
 * trailing fraction zeros so that equal values get equal scales. Returns false, leaving `out`
 * in an unspecified state, when the text is not such a decimal (sign, exponent, empty parts).
 */
export function parseDecimal(text: string, out: ScaledDecimal): boolean {
  const length = text.length;
  let mantissa = 0;
  let scale = 0;
  let digits = 0;
  let dotAt = -1;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      mantissa = mantissa * 10 + (code - 48);
      digits++;
      if (dotAt >= 0) scale++;
    } else if (code === 46 && dotAt < 0 && digits > 0) {
      dotAt = i;
    } else {
      return false;
    }
  }
  if (digits === 0 || dotAt === length - 1) return false;
  // Every intermediate value is ≤ the final one, so a final value ≤ 2^53 - 1 was computed exactly.
  if (mantissa <= Number.MAX_SAFE_INTEGER) {
    while (scale > 0 && mantissa % 10 === 0) {
      mantissa /= 10;
      scale--;
    }
    out.mantissa = mantissa;
    out.big = undefined;
    out.scale = scale;
    return true;
  }
  let big = BigInt(dotAt < 0 ? text : text.slice(0, dotAt) + text.slice(dotAt + 1));
  while (scale > 0 && big % 10n === 0n) {
    big /= 10n;
    scale--;
  }
  if (big <= BigInt(Number.MAX_SAFE_INTEGER)) {
    out.mantissa = Number(big);
    out.big = undefined;
  } else {
    out.big = big;
  }
  out.scale = scale;
  return true;
}

/** Sign of a - b for two parsed decimals, exactly. */
export function compareDecimals(a: ScaledDecimal, b: ScaledDecimal): number {
  if (a.big === undefined && b.big === undefined) {
    if (a.scale === b.scale) return a.mantissa - b.mantissa;
    // A double product that lands ≤ 2^52 is the exact product.
    if (a.scale < b.scale) {
      const scaled = a.mantissa * POW10[Math.min(b.scale - a.scale, 22)];
      if (scaled <= FAST_LIMIT && b.scale - a.scale <= 22) return scaled - b.mantissa;
    } else {
      const scaled = b.mantissa * POW10[Math.min(a.scale - b.scale, 22)];
      if (scaled <= FAST_LIMIT && a.scale - b.scale <= 22) return a.mantissa - scaled;
    }
  }
  const scale = Math.max(a.scale, b.scale);
  const left = a.bigMantissa() * bigPow10(scale - a.scale);
  const right = b.bigMantissa() * bigPow10(scale - b.scale);
  return left < right ? -1 : left > right ? 1 : 0;
}
