import { candleOfRowText } from '@cryptostream/persistence';
import { klineJsonOfRow, klineOf, openTimeOfRow } from './binance-kline';

// Row text as MySQL gives it (CANDLE_ROW_FIELDS): trades, COIN-M, ticker and a row from before the taker-buy columns.
const ROWS = [
  'trades,1741046400000,1741046460000,0.231030000000,0.231030000000,0.230570000000,0.230780000000,1443073.000000000000,332948.242740000000000000000000,,288873.000000000000,66656.869790000000000000000000,,0.23072234,0.23080000,714,0',
  'trades,1741046400000,1741046460000,0.230970000000,0.231000000000,0.230500000000,0.230900000000,32.000000000000,,1645.32531982,6.000000000000,,259.86400450,0.23090000,0.23093000,2,3',
  'ticker,60000,120000,1.000000000000,2.000000000000,0.500000000000,1.500000000000,,,,,,,,1.25000000,,0',
  'trades,0,60000,10.000000000000,10.000000000000,10.000000000000,10.000000000000,5.000000000000,50.000000000000000000000000,,,,,10.00000000,10.00000000,1,0',
].map((text) => Buffer.from(text, 'latin1'));

describe('klineJsonOfRow', () => {
  it('writes the bytes JSON.stringify gives for the row\'s candle as a kline, nulls and COIN-M fields included', () => {
    for (const row of ROWS) expect(klineJsonOfRow(row)).toBe(JSON.stringify(klineOf(candleOfRowText('X', row))));
    expect(JSON.parse(klineJsonOfRow(ROWS[1]))).toEqual([1741046400000, '0.23097', '0.231', '0.2305', '0.2309', '32', 1741046459999, '1645.32531982', 2, '6', '259.8640045', '0']);
  });

  it('reads the open time of a row', () => {
    expect(ROWS.map(openTimeOfRow)).toEqual([1741046400000, 1741046400000, 60000, 0]);
  });
});
