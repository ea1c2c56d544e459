import { DECIMAL_FRACTION_DIGITS as F, DECIMAL_INTEGER_DIGITS as I, MAX_EVENT_TIME_MS, MIN_EVENT_TIME_MS, parsePriceMessage, SYMBOL_MAX_LENGTH } from '@cryptostream/schema';
import fc from 'fast-check';
import { hostileMessages } from './hostile-messages';

/** One kind of fuzz message: valid ones must be stored exactly, invalid ones dead-lettered. */
export interface FuzzCase {
  readonly name: string;
  readonly valid: boolean;
  /** The `i`-th message of the case at event time `eventTimeMs` (valid cases follow the stream's clock). */
  readonly make: (i: number, eventTimeMs: number) => string | Buffer | null;
}

const LARGEST = `${'9'.repeat(I)}.${'9'.repeat(F)}`;
const SMALLEST = `0.${'0'.repeat(F - 1)}1`;
const SYMBOLS_PER_CASE = 6;

/** A message of a valid case: its own symbols (a case's windows hold only its messages), the stream's clock. */
const valid = (prefix: string, i: number, eventTimeMs: number, fields: Record<string, unknown>) =>
  JSON.stringify({
    symbol: `${prefix}${i % SYMBOLS_PER_CASE}`, price: '1.5', quantity: '2', timestamp: eventTimeMs / 1000, eventTimeMs,
    tradeId: i, source: 'replay', ...fields,
  });

/** A valid message but for the fields given. */
const broken = (i: number, eventTimeMs: number, fields: Record<string, unknown>) =>
  JSON.stringify({ symbol: 'FUZZBADUSDT', price: '1.5', quantity: '2', timestamp: eventTimeMs / 1000, eventTimeMs, tradeId: i, ...fields });

/** Random junk that the schema refuses, reproducible from the seed. */
function junk(seed: number, count: number): string[] {
  const arbitrary = fc.oneof(
    fc.jsonValue().map((value) => JSON.stringify(value) ?? 'null'),
    fc.string({ maxLength: 200 }),
    fc.record({ symbol: fc.string(), price: fc.oneof(fc.string(), fc.double()), timestamp: fc.double() }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
  );
  return fc.sample(arbitrary, { seed, numRuns: count * 3 }).filter((text) => typeof parsePriceMessage(text) === 'string').slice(0, count);
}

/**
 * Every kind of message the fuzz test mixes into the stream: valid ones at the schema's limits
 * (longest digits, largest and smallest values, longest symbols, largest ids and counts, the
 * original three-field message, unknown fields, COIN-M), and invalid ones in every way the
 * schema refuses (the hostile kinds, each limit passed by one, fast-check junk).
 */
export function fuzzCases(seed: number, junkCount: number): FuzzCase[] {
  const hostile = hostileMessages(28 * 50);
  // Junk that a hostile message already is would count twice: kept apart.
  const hostileTexts = new Set(hostile.map((value) => (value === null ? '' : value.toString())));
  const junkTexts = junk(seed, junkCount * 2).filter((text) => !hostileTexts.has(text)).slice(0, junkCount);
  return [
    { name: 'valid: longest digits, largest price and quantity', valid: true, make: (i, t) => valid('FZMAX', i, t, { price: LARGEST, quantity: LARGEST }) },
    { name: 'valid: smallest price and quantity', valid: true, make: (i, t) => valid('FZMIN', i, t, { price: SMALLEST, quantity: SMALLEST }) },
    { name: 'valid: quantity zero or absent (ticker)', valid: true, make: (i, t) => valid('FZZERO', i, t, { quantity: i % 2 === 0 ? '0' : undefined, tradeId: undefined }) },
    { name: `valid: ${SYMBOL_MAX_LENGTH}-character symbols`, valid: true, make: (i, t) => valid('F'.repeat(SYMBOL_MAX_LENGTH - 1), i, t, {}) },
    { name: 'valid: largest trade ids, trade counts of 1,000,000', valid: true, make: (i, t) => valid('FZIDS', i, t, { tradeId: Number.MAX_SAFE_INTEGER - i, tradeCount: 1_000_000 }) },
    { name: 'valid: the original three-field message', valid: true, make: (i, t) => JSON.stringify({ symbol: `FZORIG${i % SYMBOLS_PER_CASE}`, price: `${43_200 + i}.12`, timestamp: t / 1000 }) },
    { name: 'valid: unknown fields, keys reordered, spaces', valid: true, make: (i, t) => `{ "extra": {"a":[${i}]}, "eventTimeMs": ${t}, "timestamp": ${t / 1000}, "price": "0.${i + 1}", "symbol": "FZODD${i % SYMBOLS_PER_CASE}", "quantity": "3" }` },
    { name: 'valid: COIN-M contract size at the limits', valid: true, make: (i, t) => valid('FZCOINM_PERP', i, t, { contractSize: i % 2 === 0 ? LARGEST : SMALLEST, price: i % 3 === 0 ? SMALLEST : '0.25' }) },
    { name: 'invalid: hostile (28 kinds: not JSON, wrong types, nesting, bad UTF-8, too large, …)', valid: false, make: (i) => hostile[i % hostile.length] },
    { name: 'invalid: price with one integer digit too many', valid: false, make: (i, t) => broken(i, t, { price: `1${'0'.repeat(I)}` }) },
    { name: 'invalid: price with one fraction digit too many', valid: false, make: (i, t) => broken(i, t, { price: `1.${'0'.repeat(F)}1` }) },
    { name: 'invalid: quantity past the limits', valid: false, make: (i, t) => broken(i, t, { quantity: i % 2 === 0 ? '9'.repeat(I + 1) : `0.${'0'.repeat(F)}1` }) },
    { name: 'invalid: symbol one character too long', valid: false, make: (i, t) => broken(i, t, { symbol: 'X'.repeat(SYMBOL_MAX_LENGTH + 1) }) },
    { name: 'invalid: event time just outside 2017-2100', valid: false, make: (i, t) => broken(i, t, i % 2 === 0 ? { eventTimeMs: MIN_EVENT_TIME_MS - 1, timestamp: (MIN_EVENT_TIME_MS - 1) / 1000 } : { eventTimeMs: MAX_EVENT_TIME_MS + 1, timestamp: (MAX_EVENT_TIME_MS + 1) / 1000 }) },
    { name: 'invalid: counts and ids out of range', valid: false, make: (i, t) => broken(i, t, [{ tradeCount: 0 }, { tradeCount: 1_000_001 }, { tradeId: -1 }, { tradeId: 2 ** 53 }][i % 4]) },
    { name: 'invalid: price zero, negative, exponent, leading zero', valid: false, make: (i, t) => broken(i, t, { price: ['0', '0.000', '-1.5', '1e5', '01.5', ' 1.5'][i % 6] }) },
    { name: 'invalid: contract size zero or too long', valid: false, make: (i, t) => broken(i, t, { contractSize: i % 2 === 0 ? '0' : '1'.repeat(I + 1) }) },
    { name: `invalid: fast-check junk (seed ${seed})`, valid: false, make: (i) => junkTexts[i % junkTexts.length] },
  ];
}
