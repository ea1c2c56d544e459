import { decodeWindowUpdate, encodeWindowUpdate, WindowUpdate } from './window-update';

const update: WindowUpdate = {
  symbol: 'TRXUSDT', source: 'trades', windowSizeMs: 60_000, startMs: 1741046400000, endMs: 1741046460000, open: '0.23097', high: '0.231',
  low: '0.2305', close: '0.2308', volume: '1443073', quoteVolume: '332948.24274', baseVolume: null, takerBuyVolume: '288873', takerBuyQuoteVolume: '66656.86979', takerBuyBaseVolume: null, vwap: '0.23072234',
  averagePrice: '0.2308', tradeCount: 714, eventCount: 714, revision: 0, closed: false, publishedAtMs: 1741046430000, firstTradeId: 548321769, lastTradeId: 548322482,
};

describe('window updates', () => {
  it('come back from their encoding unchanged, decimals exactly', () => {
    expect(decodeWindowUpdate(Buffer.from(encodeWindowUpdate(update)))).toEqual(update);
  });

  it('reads an older aggregator\'s update (no taker-buy volumes, no trade ids) with those null: unknown', () => {
    const { takerBuyVolume, takerBuyQuoteVolume, takerBuyBaseVolume, firstTradeId, lastTradeId, ...older } = update;
    expect([takerBuyVolume, takerBuyQuoteVolume, takerBuyBaseVolume, firstTradeId, lastTradeId]).toEqual(['288873', '66656.86979', null, 548321769, 548322482]);
    expect(decodeWindowUpdate(JSON.stringify(older))).toEqual({ ...older, takerBuyVolume: null, takerBuyQuoteVolume: null, takerBuyBaseVolume: null, firstTradeId: null, lastTradeId: null });
  });

  it.each([
    [null, 'empty message'],
    ['{', 'not JSON'],
    [JSON.stringify({ ...update, close: 0.2308 }), 'close: not a decimal string'],
    [JSON.stringify({ ...update, vwap: '1e-3' }), 'vwap: not a decimal string or null'],
    [JSON.stringify({ ...update, startMs: '1741046400000' }), 'startMs: not an integer'],
    [JSON.stringify({ ...update, closed: 'yes' }), 'closed: not true or false'],
  ])('refuse %p with the reason %p', (value, reason) => {
    expect(decodeWindowUpdate(value)).toBe(reason);
  });
});
