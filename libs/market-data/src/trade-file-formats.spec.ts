import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { readTradeFile, TradeLine } from './trade-file-reader';

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'trade-files-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(path: string, symbol?: string): Promise<TradeLine[]> {
  const lines: TradeLine[] = [];
  for await (const line of readTradeFile(path, { symbol })) lines.push(line);
  return lines;
}

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** A minimal .zip writer (deflated entries), enough to test the reader against. */
function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text);
    const packed = deflateRawSync(data);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14); local.writeUInt32LE(packed.length, 18); local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16); central.writeUInt32LE(packed.length, 20); central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28); central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(Object.keys(entries).length, 8); end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const trades = (lines: TradeLine[]) => lines.map((l) => (l.ok ? l.trade : l));

const FUTURES_TRADES = 'id,price,qty,quote_qty,time,is_buyer_maker\n548321769,0.23103,243,56.14029,1741046404349,false\n548321770,0.23102,85,19.6367,1741046404359,true\n';
const SPOT_AGG_TRADES_US = '3369438541,87648.00000000,0.00119000,5715405025,5715405027,1767225600000123,True,True\n';

describe('readTradeFile: Binance archive layouts', () => {
  it('reads futures trades with a header, symbol from the file name', async () => {
    expect(trades(await readAll(file('TRXUSDT-trades-2025-03-04.csv', FUTURES_TRADES)))).toEqual([
      { symbol: 'TRXUSDT', kind: 'trade', tradeId: 548321769, price: '0.23103', quantity: '243', tradeTimeMs: 1741046404349, isBuyerMaker: false, tradeCount: 1 },
      { symbol: 'TRXUSDT', kind: 'trade', tradeId: 548321770, price: '0.23102', quantity: '85', tradeTimeMs: 1741046404359, isBuyerMaker: true, tradeCount: 1 },
    ]);
  });

  it('reads headerless spot trades in microseconds, converted to ms', async () => {
    const path = file('BTCUSDT-trades-2025-01-01.csv', '4385812620,93576.00000000,0.00031000,29.00856000,1735689600001999,True,True\n');
    expect(trades(await readAll(path))).toMatchObject([{ symbol: 'BTCUSDT', tradeId: 4385812620, tradeTimeMs: 1735689600001, isBuyerMaker: true }]);
  });

  it('reads spot aggTrades (8 columns, µs) and counts the trades behind each', async () => {
    expect(trades(await readAll(file('BTCUSDT-aggTrades-2026-01-01.csv', SPOT_AGG_TRADES_US)))).toEqual([{
      symbol: 'BTCUSDT', kind: 'aggTrade', tradeId: 3369438541, price: '87648.00000000', quantity: '0.00119000',
      tradeTimeMs: 1767225600000, isBuyerMaker: true, tradeCount: 3, firstTradeId: 5715405025, lastTradeId: 5715405027,
    }]);
  });

  it('tells headerless futures aggTrades (7 columns) from spot trades by their shape, symbol given', async () => {
    const lines = await readAll(file('some-export.csv', '26129,0.01633,83,1,1,1591056000000,true\n'), 'DOGEUSDT');
    expect(trades(lines)).toMatchObject([{ symbol: 'DOGEUSDT', kind: 'aggTrade', tradeCount: 1, tradeTimeMs: 1591056000000 }]);
  });

  it('reads futures aggTrades with their header', async () => {
    const path = file('X.csv', 'agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker\n1,2.5,3,10,14,1700000000000,false\n');
    expect(trades(await readAll(path, 'ETHUSDT'))).toMatchObject([{ symbol: 'ETHUSDT', kind: 'aggTrade', tradeCount: 5 }]);
  });

  it('refuses an archive whose symbol it cannot tell', async () => {
    await expect(readAll(file('export.csv', FUTURES_TRADES))).rejects.toThrow(/symbol is not in the data/);
  });

  it('reads .gz and every file of a .zip', async () => {
    expect(await readAll(file('TRXUSDT-trades-2025-03-04.csv.gz', gzipSync(FUTURES_TRADES)))).toHaveLength(2);
    const archive = file('BTCUSDT-aggTrades-2026-01.zip', zip({ 'BTCUSDT-aggTrades-2026-01-01.csv': SPOT_AGG_TRADES_US, 'ETHUSDT-trades-2025-03-04.csv': FUTURES_TRADES }));
    const lines = await readAll(archive);
    expect(lines.map((l) => (l.ok ? `${l.trade.symbol} ${l.trade.tradeId} ${l.source}` : l.reason))).toEqual([
      `BTCUSDT 3369438541 ${archive}:BTCUSDT-aggTrades-2026-01-01.csv`,
      `ETHUSDT 548321769 ${archive}:ETHUSDT-trades-2025-03-04.csv`,
      `ETHUSDT 548321770 ${archive}:ETHUSDT-trades-2025-03-04.csv`,
    ]);
  });

  it('reports malformed lines with their number and text, and goes on', async () => {
    const path = file('TRXUSDT-trades-x.csv', `${FUTURES_TRADES}oops\n7,abc,1,1,1741046404359,true\n8,0.2,1,1,1741046404359000,true\n9,0.2,1,1,1741046404360,false\n`);
    const lines = await readAll(path);
    expect(lines.filter((l) => !l.ok)).toEqual([
      { ok: false, line: 4, source: path, text: 'oops', reason: 'expected 6 or 7 columns for trades, found 1' },
      { ok: false, line: 5, source: path, text: '7,abc,1,1,1741046404359,true', reason: 'price and quantity must be decimals' },
      { ok: false, line: 6, source: path, text: '8,0.2,1,1,1741046404359000,true', reason: 'timestamp 1741046404359000 looks like microseconds, but this file is in milliseconds' },
    ]);
    expect(lines.at(-1)).toMatchObject({ ok: true, line: 7 });
  });
});

describe('readTradeFile: JSON lines of WebSocket payloads', () => {
  it('reads trade and aggTrade payloads, bare or in the combined-stream wrapper', async () => {
    const path = file('stream.jsonl', [
      '{"e":"trade","E":1741046404352,"T":1741046404349,"s":"TRXUSDT","t":548321769,"p":"0.23103","q":"243.0","X":"MARKET","m":false}',
      '{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1700000000001,"T":1700000000000,"s":"BTCUSDT","a":5,"p":"43200.12","q":"0.5","f":100,"l":102,"m":true}}',
      '{"e":"trade"',
      '{"e":"kline"}',
    ].join('\n'));
    const lines = await readAll(path);
    expect(trades(lines)).toMatchObject([
      { symbol: 'TRXUSDT', tradeId: 548321769, executionType: 'MARKET', tradeTimeMs: 1741046404349 },
      { symbol: 'BTCUSDT', kind: 'aggTrade', tradeCount: 3 },
      { ok: false, line: 3, reason: 'not valid JSON' },
      { ok: false, line: 4, reason: 'unsupported event type "kline"' },
    ]);
  });

  it('refuses a file of unknown layout, naming it', async () => {
    await expect(readAll(file('notes.txt', 'hello world\n'))).rejects.toThrow(/notes.txt: unknown layout/);
  });
});
