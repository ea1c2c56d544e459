import fc from 'fast-check';
import { scanPriceMessage } from './price-message.scanner';

const KEYS = ['symbol', 'price', 'timestamp', 'eventTimeMs', 'quantity', 'tradeId', 'tradeCount', 'isBuyerMaker', 'source', 'contractSize'];

/** Number texts of every JSON form, including ones past the exact fast path. */
const numberText = fc.oneof(
  fc.double().filter(Number.isFinite).map((value) => JSON.stringify(value)),
  fc.integer().map(String),
  fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.nat({ max: 20 })).map(([negative, mantissa, places]) => {
    const digits = mantissa.toString().padStart(places + 1, '0');
    return `${negative ? '-' : ''}${places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`}`;
  }),
  fc.constantFrom('0', '-0', '0.0', '-0.0', '1e5', '1E+5', '2.5e-3', '01', '1.', '.5', '-', '1e', '+1', '00', '1.2.3', '1700000000.123', '9007199254740993', '123456789012345.6'),
);
const stringText = fc.oneof(fc.string().map((value) => JSON.stringify(value)), fc.constantFrom('"BTCUSDT"', '"0.23097"', '"a\\"b"', '"é"', '"\\u0041"', '"tab\t"', '"unterminated'));
const valueText = fc.oneof(numberText, stringText, fc.constantFrom('true', 'false', 'null', 'tru', 'nul', '{}', '[]', '[1]', '{"a":1}'), fc.jsonValue().map((value) => JSON.stringify(value)));
const keyText = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...KEYS) }, { weight: 1, arbitrary: fc.constantFrom('symbo', 'symbols', 'Symbol', 'extra', 'trade', 'tradeIdx', '') });
const memberText = fc.tuple(keyText, valueText, fc.constantFrom('', '', '', '', ' ')).map(([key, value, space]) => `"${key}"${space}:${value}`);
const objectText = fc.oneof(
  { weight: 6, arbitrary: fc.array(memberText, { maxLength: 11 }).map((members) => `{${members.join(',')}}`) },
  { weight: 1, arbitrary: fc.tuple(fc.array(memberText, { maxLength: 4 }), fc.string({ maxLength: 3 })).map(([members, junk]) => `{${members.join(',')}${junk}}`) },
  { weight: 1, arbitrary: fc.string() },
);

/** What JSON.parse gives, as the scanner reports it: the nine keys, absent ones undefined. */
function asScanned(text: string): unknown {
  const parsed = JSON.parse(text) as Record<string, unknown>;
  return Object.fromEntries(KEYS.map((key) => [key, parsed[key]]));
}

describe('scanPriceMessage', () => {
  it('returns exactly what JSON.parse gives, or undefined', () => {
    fc.assert(
      fc.property(objectText, (text) => {
        const scanned = scanPriceMessage(text);
        // Kafka hands over the bytes: they read the same as the text.
        expect(scanPriceMessage(Buffer.from(text))).toEqual(scanned);
        if (scanned === undefined) return;
        expect(scanned).toEqual(asScanned(text));
        for (const key of KEYS) expect(Object.is(scanned[key as keyof typeof scanned], (asScanned(text) as Record<string, unknown>)[key])).toBe(true);
        // Nothing but the nine keys, each at most once: JSON.parse has no other key.
        expect(Object.keys(JSON.parse(text) as object).every((key) => KEYS.includes(key))).toBe(true);
        expect(new Set(text.match(/"(\w+)":/g)).size).toBe((text.match(/"(\w+)":/g) ?? []).length);
      }),
      { numRuns: 30_000 },
    );
  });

  it('reads what JSON.stringify makes of a price message', () => {
    fc.assert(
      fc.property(
        fc.record({ symbol: fc.constantFrom('BTCUSDT', 'S0TRXUSDT'), price: fc.constantFrom('0.23097', '43200.12'), timestamp: fc.integer({ min: 1483228800000, max: 4102444800000 }).map((ms) => ms / 1000), eventTimeMs: fc.integer({ min: 1483228800000, max: 4102444800000 }), quantity: fc.constantFrom('32.0', '0'), tradeId: fc.nat(), tradeCount: fc.integer({ min: 1, max: 1_000_000 }), isBuyerMaker: fc.boolean(), source: fc.constantFrom('replay', 'ws-trade'), contractSize: fc.constantFrom('10', '100') }, { requiredKeys: ['symbol', 'price', 'timestamp'] }),
        (message) => {
          const text = JSON.stringify(message);
          expect(scanPriceMessage(text)).toEqual(asScanned(text));
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('reads each symbol and source right however many share a slot of the strings it keeps', () => {
    // More symbols than slots, read twice in turn: slots are taken over and found taken by others of the same length.
    const symbols = Array.from({ length: 40_000 }, (_, i) => `S${i.toString(36).toUpperCase().padStart(5, '0')}USDT`);
    for (const pass of [0, 1]) {
      symbols.forEach((symbol, i) => {
        const source = `src${(i + pass) % 7}`;
        expect(scanPriceMessage(Buffer.from(`{"symbol":"${symbol}","source":"${source}","price":"1"}`))).toMatchObject({ symbol, source, price: '1' });
      });
    }
  });

  it.each(['{}', '{"symbol":"A","symbol":"B"}', ' {"symbol":"A"}', '{"symbol": "A"}', '{"symbol":"A",}', '{"symbol":"A"}x', '{"symbol":"A\\u0042"}', '{"price":01}', '{"price":1.}', '{"extra":1}', '{"symbol":{"a":1}}'])('leaves %s to JSON.parse', (text) => {
    expect(scanPriceMessage(text)).toBeUndefined();
  });
});
