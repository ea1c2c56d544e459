import { hostileFrame, HOSTILE_FRAME_KINDS } from '@cryptostream/binance-fake';
import { MAX_FRAME_BYTES, parseStreamFrame } from './stream-frame.parser';

const streams = new Set(['btcusdt@aggTrade']);
const event = { e: 'aggTrade', E: 1741046404988, s: 'BTCUSDT', a: 7, p: '0.23097000', q: '32.00000000', f: 1, l: 3, T: 1741046404986, m: true, M: true };
const text = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('parseStreamFrame', () => {
  it('reads an aggTrade event in the combined-stream wrapper', () => {
    const frame = parseStreamFrame(text({ stream: 'btcusdt@aggTrade', data: event }), false, streams);
    expect(frame).toEqual({ kind: 'trade', stream: 'btcusdt@aggTrade', trade: expect.objectContaining({ symbol: 'BTCUSDT', tradeId: 7, tradeCount: 3, price: '0.23097000' }) });
  });

  it('recognises serverShutdown, bare or wrapped, and answers to requests', () => {
    expect(parseStreamFrame(text({ e: 'serverShutdown', E: 1 }), false, streams)).toEqual({ kind: 'server-shutdown' });
    expect(parseStreamFrame(text({ stream: 'btcusdt@aggTrade', data: { e: 'serverShutdown', E: 1 } }), false, streams)).toEqual({ kind: 'server-shutdown' });
    expect(parseStreamFrame(text({ result: null, id: 1 }), false, streams)).toEqual({ kind: 'response' });
  });

  it.each([
    [{ stream: 'ethusdt@aggTrade', data: event }, /unexpected stream/],
    [{ stream: 'btcusdt@aggTrade', data: { ...event, s: 'ETHUSDT' } }, /does not belong to stream/],
    [{ stream: 'btcusdt@aggTrade', data: { ...event, e: 'trade', t: 5 } }, /does not belong to stream/],
    [event, /not a combined-stream message/],
  ])('rejects %j', (payload, reason) => {
    const frame = parseStreamFrame(text(payload), false, streams);
    expect(frame.kind).toBe('invalid');
    if (frame.kind === 'invalid') expect(frame.reason).toMatch(reason);
  });

  it('rejects binary and oversized frames without reading them', () => {
    expect(parseStreamFrame(Buffer.from([1, 2]), true, streams)).toEqual({ kind: 'invalid', reason: 'binary frame of 2 bytes' });
    expect(parseStreamFrame(Buffer.alloc(MAX_FRAME_BYTES + 1, 32), false, streams)).toEqual({ kind: 'invalid', reason: expect.stringMatching(/too large/) });
  });

  it('never throws and finds no trade in any hostile frame of the fake Binance', () => {
    for (let index = 0; index < HOSTILE_FRAME_KINDS; index += 1) {
      const { frame, kind } = hostileFrame(index, 'btcusdt@aggTrade');
      const parsed = parseStreamFrame(Buffer.isBuffer(frame) ? frame : Buffer.from(frame), false, streams);
      // A few hostile frames are well-formed events whose values the schema rejects later on.
      if (parsed.kind === 'trade') expect({ kind, accepted: true }).toEqual({ kind: expect.stringMatching(/price|quantity|time|id beyond/), accepted: true });
      else expect({ kind, parsed: parsed.kind }).toEqual({ kind, parsed: 'invalid' });
    }
  });
});
