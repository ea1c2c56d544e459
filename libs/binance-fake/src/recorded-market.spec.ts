import { MarketTrade } from '@cryptostream/market-data';
import { addDecimal, aggregate, shiftTapes } from './recorded-market';

const trade = (tradeId: number, price: string, quantity: string, tradeTimeMs: number, isBuyerMaker = false): MarketTrade => ({
  symbol: 'X', kind: 'trade', tradeId, price, quantity, tradeTimeMs, eventTimeMs: tradeTimeMs + 1, isBuyerMaker, tradeCount: 1,
});

describe('aggregate', () => {
  it('merges consecutive fills with the same price, side and time, with contiguous aggregate ids', () => {
    const aggs = aggregate([trade(1, '0.5', '1.0', 100), trade(2, '0.5', '2.5', 100), trade(3, '0.5', '1', 100, true), trade(4, '0.6', '1', 100, true), trade(5, '0.6', '1', 101, true)], 7);
    expect(aggs.map(({ a, q, f, l }) => ({ a, q, f, l }))).toEqual([
      { a: 7, q: '3.5', f: 1, l: 2 },
      { a: 8, q: '1', f: 3, l: 3 },
      { a: 9, q: '1', f: 4, l: 4 },
      { a: 10, q: '1', f: 5, l: 5 },
    ]);
  });

  it('leaves zero-price fills out', () => {
    expect(aggregate([trade(1, '0.5', '1', 100), trade(2, '0.0', '0.0', 100), trade(3, '0.5', '1', 100)], 1).map((agg) => [agg.f, agg.l])).toEqual([[1, 1], [3, 3]]);
  });
});

describe('addDecimal', () => {
  it('adds exactly', () => {
    expect(addDecimal('0.1', '0.2')).toBe('0.3');
    expect(addDecimal('243.0', '85')).toBe('328.0');
    expect(addDecimal('99999999999999999.99', '0.01')).toBe('100000000000000000.00');
  });
});

describe('shiftTapes', () => {
  it('moves trade, event and aggregate times together', () => {
    const trades = [trade(1, '0.5', '1', 60_000)];
    const [tape] = shiftTapes([{ symbol: 'X', trades, aggTrades: aggregate(trades, 1) }], 120_000);
    expect([tape.trades[0].tradeTimeMs, tape.trades[0].eventTimeMs, tape.aggTrades[0].T, tape.aggTrades[0].E]).toEqual([180_000, 180_001, 180_000, 180_001]);
  });
});
