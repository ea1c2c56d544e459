import { ExactSum } from './decimal/exact-sum';
import { divideHalfUp, formatScaled } from './decimal/format-decimal';
import { bigPow10, parseDecimal, ScaledDecimal } from './decimal/scaled-decimal';

/** Decimal places of each trade's base quantity of an inverse contract. */
export const BASE_QUANTITY_PLACES = 8;

const quantity = new ScaledDecimal();
const contract = new ScaledDecimal();
const price = new ScaledDecimal();

/**
 * The base-asset quantity of a trade of an inverse (COIN-M) contract: quantity × contractSize /
 * price, rounded half-up to {@link BASE_QUANTITY_PLACES} decimals (the precision of the base
 * asset volume in Binance's COIN-M klines). A quotient of decimals rarely ends, so it has to be
 * rounded somewhere; rounding each trade once and summing exactly makes a window's base volume
 * the same whatever the window size or the order of the trades.
 */
export function baseQuantityOf(quantityText: string, contractSizeText: string, priceText: string): string {
  if (!parseDecimal(quantityText, quantity) || !parseDecimal(contractSizeText, contract) || !parseDecimal(priceText, price)) {
    throw new Error(`base quantity needs decimals, got ${quantityText} × ${contractSizeText} / ${priceText}`);
  }
  const divisor = price.bigMantissa();
  if (divisor === 0n) throw new Error('price must be greater than zero');
  // (Q / 10^qs) × (C / 10^cs) / (P / 10^ps) = Q × C × 10^ps / 10^(qs + cs) / P
  const numerator = quantity.bigMantissa() * contract.bigMantissa() * bigPow10(price.scale);
  return divideHalfUp(numerator, quantity.scale + contract.scale, divisor, BASE_QUANTITY_PLACES);
}

/** An exact running sum of decimal strings (base volumes). */
export class DecimalTextSum {
  readonly #sum = new ExactSum();
  readonly #scratch = new ScaledDecimal();

  add(text: string): void {
    if (!parseDecimal(text, this.#scratch)) throw new Error(`not a non-negative decimal: ${JSON.stringify(text)}`);
    if (this.#scratch.big === undefined) this.#sum.add(this.#scratch.mantissa, this.#scratch.scale);
    else this.#sum.addBig(this.#scratch.big, this.#scratch.scale);
  }

  toString(): string {
    return formatScaled(this.#sum.value, this.#sum.scale);
  }
}
