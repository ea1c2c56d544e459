import { encodeSourceProgress, encodeSourceProgressOfSymbols, isSourceProgressRecord, parseSourceProgress } from './source-progress';
import { parsePriceMessage } from './parse-price-message';

const AT = Date.UTC(2024, 0, 1, 0, 1);

describe('source-progress records', () => {
  it('round-trip through encode and parse, kind first', () => {
    const text = encodeSourceProgress({ symbol: 'TRXUSD_PERP', completeUpToMs: AT - 1000, state: 'recovering', atMs: AT });
    expect(text.startsWith('{"kind":"progress",')).toBe(true);
    expect(parseSourceProgress(text)).toEqual([{ kind: 'progress', symbol: 'TRXUSD_PERP', completeUpToMs: AT - 1000, state: 'recovering', atMs: AT }]);
    expect(parseSourceProgress(Buffer.from(text))).toEqual([JSON.parse(text)]);
  });

  it('of the symbols of a partition round-trip, each symbol with its own completeUpToMs and state', () => {
    const symbols = [
      { symbol: 'BTCUSDT', completeUpToMs: AT - 900, state: 'live' },
      { symbol: 'ETHUSDT', completeUpToMs: AT - 40_000, state: 'recovering' },
      { symbol: 'TRXUSDT', completeUpToMs: AT - 1000, state: 'live' },
    ] as const;
    const text = encodeSourceProgressOfSymbols(AT, symbols);
    expect(text).toBe(`{"kind":"progress","atMs":${AT},"live":{"BTCUSDT":${AT - 900},"TRXUSDT":${AT - 1000}},"recovering":{"ETHUSDT":${AT - 40_000}}}`);
    expect(isSourceProgressRecord(text)).toBe(true);
    const parsed = parseSourceProgress(Buffer.from(text));
    expect(parsed).toEqual(expect.arrayContaining(symbols.map((each) => ({ kind: 'progress', ...each, atMs: AT }))));
    expect(parsed).toHaveLength(3);
    expect(parseSourceProgress(encodeSourceProgressOfSymbols(AT, [symbols[1]]))).toEqual([{ kind: 'progress', ...symbols[1], atMs: AT }]);
    // No symbols yet: still the source's word that it is there (atMs).
    expect(parseSourceProgress(encodeSourceProgressOfSymbols(AT, []))).toEqual([]);
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
    [`{"kind":"progress","symbol":"btc","completeUpToMs":1,"state":"live","atMs":${AT}}`, 'symbol must be'],
    [`{"kind":"progress","symbol":"BTCUSDT","completeUpToMs":1.5,"state":"live","atMs":${AT}}`, 'completeUpToMs must be'],
    [`{"kind":"progress","symbol":"BTCUSDT","completeUpToMs":${AT},"state":"gone","atMs":${AT}}`, 'state must be'],
    [`{"kind":"progress","symbol":"BTCUSDT","completeUpToMs":${AT},"state":"live"}`, 'atMs must be'],
    [`{"kind":"progress","completeUpToMs":${AT},"state":"live","atMs":${AT}}`, 'symbol must be'],
    [`{"kind":"progress","atMs":${AT}}`, 'needs symbol, completeUpToMs and state, or live or recovering'],
    [`{"kind":"progress","symbol":"BTCUSDT","completeUpToMs":${AT},"state":"live","atMs":${AT},"live":{}}`, 'not both'],
    [`{"kind":"progress","atMs":${AT},"live":{"BTCUSDT":${AT}},"recovering":{"BTCUSDT":${AT}}}`, 'BTCUSDT is both live and recovering'],
    [`{"kind":"progress","atMs":${AT},"live":{"btc":${AT}}}`, 'live: "btc" is not an upper-case Binance symbol'],
    [`{"kind":"progress","atMs":${AT},"recovering":{"BTCUSDT":"${AT}"}}`, "recovering: BTCUSDT's completeUpToMs must be"],
    [`{"kind":"progress","atMs":${AT},"live":[]}`, 'live must be an object'],
  ])('rejects %s with a reason', (text, reason) => {
    expect(parseSourceProgress(text)).toEqual(expect.stringContaining(reason));
  });
});
