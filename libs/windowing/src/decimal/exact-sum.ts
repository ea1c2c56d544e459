import { bigPow10, FAST_LIMIT, POW10 } from './scaled-decimal';

/**
 * A running sum of non-negative decimals, exact. The common case adds a small safe integer to a
 * Number; whenever that Number passes 2^52 it is moved into a BigInt, so no addition ever
 * rounds. The scale grows to the largest scale added (values are rescaled, never rounded).
 */
export class ExactSum {
  #small = 0;
  #large = 0n;
  #scale = 0;

  /** Adds mantissa / 10^scale; `mantissa` must be a safe non-negative integer. */
  add(mantissa: number, scale: number): void {
    if (scale !== this.#scale) {
      if (scale > this.#scale) {
        this.#rescale(scale);
      } else {
        const shift = this.#scale - scale;
        const scaled = shift <= 22 ? mantissa * POW10[shift] : Infinity;
        if (scaled > FAST_LIMIT) {
          this.#large += BigInt(mantissa) * bigPow10(shift);
          return;
        }
        mantissa = scaled;
      }
    }
    if (mantissa > FAST_LIMIT) {
      this.#large += BigInt(mantissa);
      return;
    }
    // Both terms are ≤ 2^52, so the sum is ≤ 2^53: exact.
    const small = this.#small + mantissa;
    if (small > FAST_LIMIT) {
      this.#large += BigInt(small);
      this.#small = 0;
    } else {
      this.#small = small;
    }
  }

  /** Adds value / 10^scale for a BigInt mantissa (the slow path). */
  addBig(value: bigint, scale: number): void {
    if (scale > this.#scale) this.#rescale(scale);
    this.#large += value * bigPow10(this.#scale - scale);
  }

  /** The sum as value / 10^scale. */
  get value(): bigint {
    return this.#large + BigInt(this.#small);
  }

  get scale(): number {
    return this.#scale;
  }

  #rescale(scale: number): void {
    this.#large = (this.#large + BigInt(this.#small)) * bigPow10(scale - this.#scale);
    this.#small = 0;
    this.#scale = scale;
  }
}
