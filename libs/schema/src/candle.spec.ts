import type { WindowFigures } from '@cryptostream/windowing';
import { candleFigures } from './candle';

const window = (figures: Partial<WindowFigures> = {}): WindowFigures => ({
  symbol: 'TRXUSDT', startMs: 0, endMs: 60_000, averagePrice: '0.2308', open: '0.23097', high: '0.231', low: '0.2305', close: '0.2309',
  volume: '1443073.5', quoteVolume: '332948.24274', vwap: '0.23072234', tradeCount: 714, eventCount: 714, revision: 0,
  takerBuyVolume: '288873', takerBuyQuoteVolume: '66656.86979', ...figures,
});

describe('candleFigures: which figures a reader finds null', () => {
  it('keeps every figure of a spot or USDⓈ-M window', () => {
    expect(candleFigures(window())).toEqual({
      source: 'trades', volume: '1443073.5', quoteVolume: '332948.24274', baseVolume: null,
      takerBuyVolume: '288873', takerBuyQuoteVolume: '66656.86979', takerBuyBaseVolume: null, vwap: '0.23072234', tradeCount: 714,
    });
  });

  it('gives a COIN-M window its base volumes instead of quote volumes', () => {
    expect(candleFigures(window({ symbol: 'TRXUSD_PERP', baseVolume: '1645.32531982', takerBuyBaseVolume: '259.8640045' }))).toMatchObject({
      volume: '1443073.5', quoteVolume: null, baseVolume: '1645.32531982', takerBuyVolume: '288873', takerBuyQuoteVolume: null, takerBuyBaseVolume: '259.8640045',
    });
  });

  it('gives a ticker window no volumes, VWAP, trade count or taker-buy volumes', () => {
    expect(candleFigures(window({ source: 'ticker', vwap: null }))).toEqual({
      source: 'ticker', volume: null, quoteVolume: null, baseVolume: null,
      takerBuyVolume: null, takerBuyQuoteVolume: null, takerBuyBaseVolume: null, vwap: null, tradeCount: null,
    });
  });

  it('gives no taker-buy volumes where a trade’s side was not known', () => {
    expect(candleFigures(window({ takerBuyVolume: undefined, takerBuyQuoteVolume: undefined }))).toMatchObject({
      volume: '1443073.5', takerBuyVolume: null, takerBuyQuoteVolume: null, takerBuyBaseVolume: null,
    });
  });
});
