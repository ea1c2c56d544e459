const VALID = { symbol: 'BTCUSDT', price: '43200.12', timestamp: 1741046404.986, eventTimeMs: 1741046404986, quantity: '0.5' };
const json = (fields: Record<string, unknown>) => JSON.stringify({ ...VALID, ...fields });

/** Ways to break a price message; each takes an index so that no two payloads are alike. */
const KINDS: ReadonlyArray<(i: number) => string | Buffer | null> = [
  (i) => `not json ${i}`,
  (i) => `{"symbol":"BTCUSDT","price":NaN,"timestamp":${i}}`,
  (i) => `[${i}, 2, 3]`,
  () => 'null',
  (i) => String(i),
  (i) => json({ price: 43200 + i }),
  (i) => json({ price: `-${i + 1}` }),
  (i) => json({ price: '0.000', tradeId: i }),
  (i) => json({ price: `${i}e5` }),
  (i) => json({ symbol: i }),
  (i) => json({ symbol: `btc usdt ${i}` }),
  (i) => json({ symbol: 'X'.repeat(33 + (i % 100)) }),
  (i) => json({ price: '9'.repeat(50), tradeId: i }),
  (i) => json({ pad: 'x'.repeat(5_000 + i) }),
  (i) => json({ timestamp: 4_102_444_800 + i, eventTimeMs: undefined }),
  (i) => json({ timestamp: 86_400 + i, eventTimeMs: undefined }),
  (i) => json({ timestamp: '1741046404', tradeId: i }),
  (i) => json({ eventTimeMs: 1741046404986 + 5_000 + i }),
  (i) => json({ quantity: 'abc', tradeId: i }),
  (i) => json({ tradeCount: 0, tradeId: i }),
  (i) => json({ tradeId: -i - 1 }),
  (i) => json({ source: 'evil', unknownField: i, __proto__: { polluted: true } }),
  (i) => `{"__proto__":{"polluted":${i}},"constructor":{"prototype":{}},"symbol":"BTCUSDT"}`,
  (i) => json({ isBuyerMaker: 'yes', extra: { nested: [i] } }),
  (i) => '['.repeat(2_000) + String(i),
  (i) => Buffer.from([0xff, 0xfe, 0x00, i % 256, 0xc3, 0x28]),
  () => null,
  () => Buffer.alloc(0),
];

/** `count` distinct messages that a valid aggregator must reject, of every kind above in turn. */
export function hostileMessages(count: number): (string | Buffer | null)[] {
  return Array.from({ length: count }, (_, i) => KINDS[i % KINDS.length](i));
}
