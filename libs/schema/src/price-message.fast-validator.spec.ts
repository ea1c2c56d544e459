import 'reflect-metadata';
import fc from 'fast-check';
import { validateWithDecorators } from './parse-price-message';
import { validatePriceMessageFast } from './price-message.fast-validator';
import { DECIMAL_FRACTION_DIGITS as F, DECIMAL_INTEGER_DIGITS as I, DECIMAL_STRING, SYMBOL_MAX_LENGTH } from './decimal-string';

/** Values that pass each field's rules. */
const valid = {
  symbol: fc.stringMatching(new RegExp(`^[A-Z0-9][A-Z0-9_-]{1,${SYMBOL_MAX_LENGTH - 1}}$`)),
  price: fc.stringMatching(DECIMAL_STRING).filter((value) => /[1-9]/.test(value)),
  timestamp: fc.double({ min: 1483228800, max: 4102444800, noNaN: true }),
  eventTimeMs: fc.constantFrom(undefined, null, 1483228800000, 1700000000123, 4102444800000),
  quantity: fc.oneof(fc.constant(undefined), fc.stringMatching(DECIMAL_STRING)),
  tradeId: fc.oneof(fc.constant(undefined), fc.nat()),
  tradeCount: fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 1_000_000 })),
  isBuyerMaker: fc.constantFrom(undefined, true, false),
  source: fc.constantFrom(undefined, 'replay', 'ws-trade', 'ws-aggTrade', 'rest-ticker', 'gap-fill'),
  contractSize: fc.constantFrom(undefined, '10', '100', '0.001'),
  extra: fc.constantFrom(undefined, 'x', { nested: true }),
};

/** Values at and just past each rule's edges, and arbitrary junk. */
const edge = {
  symbol: fc.oneof(fc.constantFrom('BTCUSDT', 'btcusdt', 'B', '_BTC', 'A'.repeat(SYMBOL_MAX_LENGTH), 'A'.repeat(SYMBOL_MAX_LENGTH + 1), '', 'BTC USDT', 42), fc.string()),
  price: fc.oneof(fc.constantFrom('0', '0.0', '-1', '1e5', '01', '1.', '.5', ' 1', '9'.repeat(I), '1'.repeat(I + 1), `1.${'1'.repeat(F)}`, `1.${'1'.repeat(F + 1)}`, `${'9'.repeat(I)}.${'9'.repeat(F)}`, `0.${'0'.repeat(F - 1)}1`, 1.5), fc.string()),
  timestamp: fc.oneof(fc.constantFrom(1483228800, 1483228799.999, 4102444800, 4102444800.001, NaN, Infinity, '1700000000', null), fc.double()),
  eventTimeMs: fc.oneof(fc.constantFrom(1700000000123.5, 1483228799999, 4102444800001, '1700000000123', NaN), fc.integer()),
  quantity: fc.oneof(fc.constantFrom(null, '0', '-1', 'abc', '1'.repeat(I), '1'.repeat(I + 1), `0.${'0'.repeat(F)}`, `2.${'2'.repeat(F + 1)}`, 243), fc.string()),
  tradeId: fc.oneof(fc.constantFrom(null, -1, 1.5, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, '5'), fc.integer()),
  tradeCount: fc.constantFrom(null, 0, 1, 1_000_000, 1_000_001, 2.5, '3'),
  isBuyerMaker: fc.constantFrom(null, 0, 'true', 1),
  source: fc.constantFrom(null, 'bogus', 1, 'REPLAY'),
  contractSize: fc.oneof(fc.constantFrom(null, '0', '0.0', '-10', 10, '1e1', '1'.repeat(21)), fc.string()),
  extra: fc.constantFrom(null, [], 0),
};

type Field = keyof typeof valid;
const FIELDS = Object.keys(valid) as Field[];

/** A message valid but for a few fields drawn from their edges: most runs probe one rule. */
const nearlyValidMessage = fc
  .tuple(fc.record(valid, { requiredKeys: [] }), fc.record(edge, { requiredKeys: [] }), fc.subarray(FIELDS, { maxLength: 2 }))
  .map(([good, odd, swapped]) => {
    const message: Record<string, unknown> = { ...good, symbol: good.symbol, price: good.price, timestamp: good.timestamp };
    for (const key of swapped) if (key in odd) message[key] = odd[key];
    return message;
  });

describe('validatePriceMessageFast', () => {
  it('accepts exactly what the DTO decorators accept, with the same whitelisted fields', () => {
    fc.assert(
      fc.property(nearlyValidMessage, (plain) => {
        const reference = validateWithDecorators(plain);
        const fast = validatePriceMessageFast(plain);
        if (typeof reference === 'string') {
          expect(fast).toBeUndefined();
        } else {
          expect(fast).toBeDefined();
          expect({ ...fast }).toEqual({ ...reference });
        }
      }),
      { numRuns: 20_000 },
    );
  });

  it('sees both verdicts often enough to test the rules', () => {
    const verdicts = fc.sample(nearlyValidMessage, 2_000).map((plain) => validatePriceMessageFast(plain) !== undefined);
    expect(verdicts.filter(Boolean).length).toBeGreaterThan(400);
    expect(verdicts.filter((ok) => !ok).length).toBeGreaterThan(400);
  });
});
