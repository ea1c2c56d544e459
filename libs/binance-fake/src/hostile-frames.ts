/**
 * Malformed and hostile frames a market-data client must survive: each comes with what is wrong
 * with it. `index` picks one of the kinds round-robin, so any count covers all of them.
 */
export function hostileFrame(index: number, stream = 'btcusdt@aggTrade'): { readonly frame: string | Buffer; readonly kind: string } {
  const symbol = stream.split('@')[0].toUpperCase();
  const event = { e: 'aggTrade', E: 1741046404988, s: symbol, a: 1, p: '0.23097000', q: '32.00000000', f: 1, l: 1, T: 1741046404986, m: true, M: true };
  const wrap = (data: unknown) => JSON.stringify({ stream, data });
  const kinds: Array<[string, () => string | Buffer]> = [
    ['not JSON', () => 'this is not json'],
    ['truncated JSON', () => wrap(event).slice(0, 40)],
    ['empty frame', () => ''],
    ['JSON null', () => 'null'],
    ['JSON array', () => '[1,2,3]'],
    ['wrapper without data', () => JSON.stringify({ stream })],
    ['unknown event type', () => wrap({ ...event, e: 'depthUpdate' })],
    ['price as number', () => wrap({ ...event, p: 0.23097 })],
    ['negative price', () => wrap({ ...event, p: '-1.00000000' })],
    ['zero price', () => wrap({ ...event, p: '0.00000000' })],
    ['price in exponent notation', () => wrap({ ...event, p: '1e308' })],
    ['quantity NaN', () => wrap({ ...event, q: 'NaN' })],
    ['id not an integer', () => wrap({ ...event, a: 1.5 })],
    ['id beyond 2^53', () => wrap({ ...event, a: 2 ** 60 })],
    ['trade time in the far future', () => wrap({ ...event, T: 9_999_999_999_999, E: 9_999_999_999_999 })],
    ['trade time before 2017', () => wrap({ ...event, T: 1000, E: 1000 })],
    ['symbol with spaces', () => wrap({ ...event, s: 'BTC USDT; DROP TABLE' })],
    ['symbol not matching the stream', () => wrap({ ...event, s: 'OTHERUSDT' })],
    ['prototype pollution', () => `{"stream":"${stream}","data":{"__proto__":{"polluted":true},"e":"aggTrade"}}`],
    ['deeply nested', () => '['.repeat(5000) + ']'.repeat(5000)],
    ['oversized frame', () => wrap({ ...event, pad: 'x'.repeat(1_000_000) })],
    ['invalid UTF-8', () => Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
    ['control characters', () => '\u0000\u0001\u0002{"e":"aggTrade"}'],
    ['first id after last id', () => wrap({ ...event, f: 10, l: 2 })],
  ];
  const [kind, make] = kinds[index % kinds.length];
  return { frame: make(), kind };
}

/** Number of different hostile frame kinds. */
export const HOSTILE_FRAME_KINDS = 24;
