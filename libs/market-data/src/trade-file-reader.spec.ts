import { join } from 'node:path';
import { nonMarketReason } from './market-trade';
import { parseStreamRecordingLine, readTradeFile } from './trade-file-reader';

const TRXUSDT = join(__dirname, '../../../data/binance/test_positive_binance_trade_stream_usd_m_futures_trxusdt_04-03-2025.csv');

describe('readTradeFile', () => {
  it('reads every trade of the TRXUSDT recording in order', async () => {
    const ids: number[] = [];
    for await (const line of readTradeFile(TRXUSDT)) {
      if (!line.ok) throw new Error(line.reason);
      ids.push(line.trade.tradeId);
    }
    expect(ids).toHaveLength(10_000);
    expect(ids[0]).toBe(548321769);
    expect(ids.at(-1)).toBe(548331768);
  });

  it('keeps the zero-price fill, which nonMarketReason then rejects', async () => {
    const odd = parseStreamRecordingLine('1741047334450,trxusdt@trade,trade,1741047334448,1741047334448,TRXUSDT,548331095,0.0,0.0,0,', 2);
    expect(odd.ok).toBe(true);
    if (odd.ok) expect(nonMarketReason(odd.trade)).toMatch(/non-positive price/);
  });

  it('names the problem of a malformed line', () => {
    expect(parseStreamRecordingLine('a,b,c', 7)).toEqual({ ok: false, line: 7, reason: 'expected 11 columns, found 3' });
  });
});
