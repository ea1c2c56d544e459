import { join } from 'node:path';
import { tradeFromStreamPayload } from './binance-payloads';
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

describe('a recorder CSV of a spot trade stream', () => {
  const SPOT = join(__dirname, '../../../data/binance/spot/test_positive_binance_trade_stream_spot_trxusdt_04-03-2025__excerpt_first_16.csv');

  it('loads like the futures ones: µs times in ms, the spot M column ignored, no execution type', async () => {
    const lines = [];
    for await (const line of readTradeFile(SPOT)) lines.push(line);
    expect(lines).toHaveLength(16);
    expect(lines.every((line) => line.ok)).toBe(true);
    expect(lines[0]).toMatchObject({
      ok: true, line: 2,
      trade: { symbol: 'TRXUSDT', kind: 'trade', tradeId: 348656870, price: '0.2312', quantity: '2619.4', tradeTimeMs: 1741046401271, eventTimeMs: 1741046401271, isBuyerMaker: true, tradeCount: 1 },
    });
    expect(lines[0].ok && lines[0].trade).not.toHaveProperty('executionType');
    expect(lines.map((line) => line.ok && nonMarketReason(line.trade))).toEqual(Array(16).fill(undefined));
  });
});

describe('stream payloads of the three markets', () => {
  it('reads a spot trade (with M) like a futures one (with X); only futures carry an execution type', () => {
    const spot = tradeFromStreamPayload({ e: 'trade', E: 1741046401271, T: 1741046401271, s: 'TRXUSDT', t: 348656870, p: '0.2312', q: '2619.4', m: true, M: true });
    const futures = tradeFromStreamPayload({ stream: 'trxusd_perp@trade', data: { e: 'trade', E: 1741046404988, T: 1741046404986, s: 'TRXUSD_PERP', t: 39605682, p: '0.23097', q: '32.0', m: true, X: 'MARKET' } });
    expect(spot).toEqual({ symbol: 'TRXUSDT', kind: 'trade', tradeId: 348656870, price: '0.2312', quantity: '2619.4', tradeTimeMs: 1741046401271, eventTimeMs: 1741046401271, isBuyerMaker: true, tradeCount: 1 });
    expect(futures).toMatchObject({ symbol: 'TRXUSD_PERP', executionType: 'MARKET', quantity: '32.0' });
    expect([spot, futures].map(nonMarketReason)).toEqual([undefined, undefined]);
  });
});
