import 'reflect-metadata';
import fc from 'fast-check';
import { eventTimeMsOf, parsePriceMessage, referencePriceMessage } from './parse-price-message';

describe('referencePriceMessage (the reference path)', () => {
  it('accepts the original design message', () => {
    const outcome = referencePriceMessage('{"symbol":"BTCUSDT","price":"43200.12","timestamp":1700000000.123}');
    expect(outcome).toEqual({ ok: true, message: expect.objectContaining({ symbol: 'BTCUSDT', price: '43200.12' }) });
    if (outcome.ok) expect(eventTimeMsOf(outcome.message)).toBe(1700000000123);
  });

  it('accepts the extended trade message and drops unknown fields', () => {
    const outcome = referencePriceMessage(
      JSON.stringify({
        symbol: 'TRXUSD_PERP', price: '0.23097', timestamp: 1741046404.986, eventTimeMs: 1741046404986,
        quantity: '32.0', tradeId: 39605682, tradeCount: 1, isBuyerMaker: true, source: 'replay', extra: 'x',
      }),
    );
    expect(outcome.ok).toBe(true);
    if (outcome.ok) {
      expect(outcome.message.quantity).toBe('32.0');
      expect(outcome.message).not.toHaveProperty('extra');
    }
  });

  it.each([
    ['not json', /not JSON/],
    ['[1,2]', /not a JSON object/],
    ['null', /not a JSON object/],
    ['{"symbol":"BTCUSDT","price":43200.12,"timestamp":1700000000}', /price must be a decimal string/],
    ['{"symbol":"BTCUSDT","price":"0.000","timestamp":1700000000}', /greater than zero/],
    ['{"symbol":"BTCUSDT","price":"-1","timestamp":1700000000}', /greater than zero/],
    ['{"symbol":"BTCUSDT","price":"1e5","timestamp":1700000000}', /greater than zero/],
    ['{"symbol":"btc usdt","price":"1","timestamp":1700000000}', /symbol must be/],
    ['{"symbol":"BTCUSDT","price":"1","timestamp":"NaN"}', /timestamp/],
    ['{"symbol":"BTCUSDT","price":"1","timestamp":99999999999}', /timestamp must not be greater/],
    ['{"symbol":"BTCUSDT","price":"1","timestamp":86400}', /timestamp must not be less/],
    ['{"symbol":"BTCUSDT","price":"1","timestamp":1700000000,"quantity":"abc"}', /quantity/],
    ['{"symbol":"BTCUSDT","price":"1","timestamp":1700000000,"eventTimeMs":1700000005000}', /disagree/],
  ])('rejects %s with a reason', (raw, reason) => {
    const outcome = referencePriceMessage(raw);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.reason).toMatch(reason);
  });

  it('rejects oversized payloads before parsing them', () => {
    const outcome = referencePriceMessage(JSON.stringify({ symbol: 'BTCUSDT', price: '1', timestamp: 1700000000, pad: 'x'.repeat(5000) }));
    expect(outcome).toEqual({ ok: false, reason: expect.stringMatching(/too large/) });
  });
});

describe('parsePriceMessage (the one entry point: text, bytes or a parsed object)', () => {
  const valid = { symbol: 'S0TRXUSDT', price: '0.23097', timestamp: 1741046404.986, eventTimeMs: 1741046404986, quantity: '32.0', tradeId: 39605682, tradeCount: 1, isBuyerMaker: true, source: 'replay' };
  const variants: unknown[] = [
    valid, { ...valid, extra: 'x' }, { ...valid, eventTimeMs: null }, { ...valid, eventTimeMs: 1741046406986 }, { ...valid, quantity: null },
    { ...valid, tradeId: null }, { ...valid, price: '0.000' }, { ...valid, symbol: 'btc' }, { ...valid, source: 'bogus' }, { ...valid, isBuyerMaker: 1 },
    { symbol: 'BTCUSDT', price: '43200.12', timestamp: 1700000000.123 }, [1, 2], null, 'text', 42, {},
  ];
  const raws: (string | Buffer | null)[] = [
    ...variants.map((value) => JSON.stringify(value)), ...variants.map((value) => Buffer.from(JSON.stringify(value))),
    null, 'not json', '', Buffer.from('{"symbol":"BTCUSDT"'), 'x'.repeat(5000),
  ];

  it.each(raws.map((raw) => [raw]))('gives the verdict and reason of the reference path for %s', (raw) => {
    const reference = referencePriceMessage(raw);
    const fields = parsePriceMessage(raw);
    if (reference.ok) {
      expect(typeof fields).toBe('object');
      expect(fields).toEqual(expect.objectContaining(definedFields(reference.message)));
      expect(eventTimeMsOf(fields as Exclude<typeof fields, string>)).toBe(eventTimeMsOf(reference.message));
    } else {
      expect(fields).toBe(reference.reason);
    }
  });

  it.each(variants.filter((value) => typeof value === 'object' && value !== null).map((value) => [value]))('gives the verdict and reason of the reference path for the parsed object %j', (value) => {
    const reference = referencePriceMessage(JSON.stringify(value));
    const fields = parsePriceMessage(value as object);
    if (reference.ok) expect(fields).toEqual(expect.objectContaining(definedFields(reference.message)));
    else expect(fields).toBe(reference.reason);
  });

  it('agrees with the reference path on arbitrary JSON values, as text and as parsed objects', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ symbol: fc.constantFrom('BTCUSDT', 'b'), price: fc.constantFrom('1', '0', 1), timestamp: fc.oneof(fc.constant(1700000000), fc.double()), eventTimeMs: fc.oneof(fc.constant(1700000000000), fc.constant(null), fc.integer()) }, { requiredKeys: [] })), (value) => {
        const raw = JSON.stringify(value) ?? 'null';
        const reference = referencePriceMessage(raw);
        const parsed = JSON.parse(raw) as unknown;
        for (const fields of [parsePriceMessage(raw), ...(typeof parsed === 'object' && parsed !== null ? [parsePriceMessage(parsed)] : [])]) {
          if (reference.ok) expect(fields).toEqual(expect.objectContaining(definedFields(reference.message)));
          else expect(fields).toBe(reference.reason);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});

/** The message's fields that hold a value (objectContaining wants undefined ones present). */
function definedFields(message: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(message).filter(([, value]) => value !== undefined));
}
