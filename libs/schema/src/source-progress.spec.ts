import { encodeSourceProgress, isSourceProgressRecord, parseSourceProgress } from './source-progress';
import { parsePriceMessage } from './parse-price-message';

const AT = Date.UTC(2024, 0, 1, 0, 1);

describe('source-progress records', () => {
  it('round-trip through encode and parse, kind first', () => {
    const text = encodeSourceProgress({ symbol: 'TRXUSD_PERP', completeUpToMs: AT - 1000, state: 'recovering', atMs: AT });
    expect(text.startsWith('{"kind":"progress",')).toBe(true);
    expect(parseSourceProgress(text)).toEqual({ kind: 'progress', symbol: 'TRXUSD_PERP', completeUpToMs: AT - 1000, state: 'recovering', atMs: AT });
    expect(parseSourceProgress(Buffer.from(text))).toEqual(JSON.parse(text));
  });

  it('are told apart from price messages by their first bytes, as text or bytes', () => {
    const progress = encodeSourceProgress({ symbol: 'BTCUSDT', completeUpToMs: AT, state: 'live', atMs: AT });
    const price = JSON.stringify({ symbol: 'BTCUSDT', price: '1', timestamp: AT / 1000 });
    expect(isSourceProgressRecord(progress)).toBe(true);
    expect(isSourceProgressRecord(Buffer.from(progress))).toBe(true);
    expect(isSourceProgressRecord(price)).toBe(false);
    expect(isSourceProgressRecord(Buffer.from(price))).toBe(false);
    expect(isSourceProgressRecord(null)).toBe(false);
    expect(isSourceProgressRecord('{"kind":"prog')).toBe(false);
    // A price consumer that does not skip them rejects them: they are never taken for trades.
    expect(typeof parsePriceMessage(progress)).toBe('string');
  });

  it.each([
    ['{"kind":"progress",', 'not JSON'],
    ['{"kind":"progress","symbol":"btc","completeUpToMs":1,"state":"live","atMs":1}', 'symbol must be'],
    [`{"kind":"progress","symbol":"BTCUSDT","completeUpToMs":1.5,"state":"live","atMs":${AT}}`, 'completeUpToMs must be'],
    [`{"kind":"progress","symbol":"BTCUSDT","completeUpToMs":${AT},"state":"gone","atMs":${AT}}`, 'state must be'],
    [`{"kind":"progress","symbol":"BTCUSDT","completeUpToMs":${AT},"state":"live"}`, 'atMs must be'],
  ])('rejects %s with a reason', (text, reason) => {
    expect(parseSourceProgress(text)).toEqual(expect.stringContaining(reason));
  });
});
