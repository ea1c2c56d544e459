import 'reflect-metadata';
import { LakeArchive, LakeManifest, openLakeDuckdb, ParquetWriter, tradeRowOf, type LakeRow } from '@cryptostream/lake';
import { AppProcess, createTestDatabase, createTestTopics, freePort, TEST_KAFKA_BROKERS, TestDatabase } from '@cryptostream/testing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

jest.setTimeout(120_000);

const T0 = Date.UTC(2025, 2, 4, 23, 59);

/** 300 trades of BTCUSDT across midnight (two symbol-days, two files each) and 10 of ETHUSDT. */
function rows(): LakeRow[] {
  const messages = Array.from({ length: 310 }, (_, i) => ({
    symbol: i < 300 ? 'BTCUSDT' : 'ETHUSDT', price: i === 7 ? '999999999999999.999999999999' : `43200.${String(i).padStart(3, '0')}1`,
    quantity: '0.000000000001', tradeId: 1000 + i, timestamp: (T0 + i * 1000) / 1000, eventTimeMs: T0 + i * 1000, isBuyerMaker: i % 2 === 0, source: 'ws-aggTrade',
  }));
  return messages.map((message, offset) => {
    const row = tradeRowOf(0, { offset: String(offset), value: Buffer.from(JSON.stringify(message)) });
    if ('skipped' in row) throw new Error(row.skipped);
    return row;
  });
}

describe('GET /api/trades (the API as a process, a lake of committed files, real MySQL)', () => {
  let db: TestDatabase;
  let topics: Awaited<ReturnType<typeof createTestTopics>>;
  let api: AppProcess;
  let lakeDir: string;
  const get = (query: string) => fetch(`http://127.0.0.1:${api.port}/api/trades?${query}`);

  beforeAll(async () => {
    db = await createTestDatabase();
    lakeDir = mkdtempSync(join(tmpdir(), 'api-trades-'));
    const duck = await openLakeDuckdb();
    const archive = new LakeArchive(lakeDir, new ParquetWriter(duck.connection), new LakeManifest(db.pool));
    const all = rows();
    await archive.commit({ consumerGroup: 'g', topic: 'prices', partition: 0, fromOffset: 0, nextOffset: 150 }, all.slice(0, 150));
    await archive.commit({ consumerGroup: 'g', topic: 'prices', partition: 0, fromOffset: 150, nextOffset: 310 }, all.slice(150));
    duck.connection.closeSync();
    duck.instance.closeSync();
    // A file on disk that no commit lists: never served.
    writeFileSync(join(lakeDir, 'trades/market=linear/symbol=BTCUSDT/date=2025-03-05/stray.parquet'), 'not parquet');
    topics = await createTestTopics(['windows']);
    api = AppProcess.start('api', await freePort(), { MYSQL_URL: db.url, KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_WINDOWS_TOPIC: topics.topics['windows'], LAKE_DIR: lakeDir }, lakeDir);
    await api.waitReady(60_000);
  });

  afterAll(async () => {
    await api?.stop();
    await topics?.dispose();
    await db?.drop();
    rmSync(lakeDir, { recursive: true, force: true });
  });

  it('streams a range as JSON across files and days, in event-time order, decimals exact', async () => {
    const response = await get(`symbol=BTCUSDT&from=${T0}&to=${T0 + 250_000}`);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const trades = (await response.json()) as Record<string, unknown>[];
    expect(trades).toHaveLength(250);
    expect(trades.map((t) => t['tradeId'])).toEqual(Array.from({ length: 250 }, (_, i) => 1000 + i));
    expect(trades[7]).toEqual({
      symbol: 'BTCUSDT', tradeId: 1007, eventTimeMs: T0 + 7000, price: '999999999999999.999999999999', quantity: '0.000000000001', tradeCount: null,
      isBuyerMaker: false, contractSize: null, source: 'ws-aggTrade',
    });
  });

  it('answers CSV with a header, ISO-8601 bounds taken as well', async () => {
    const text = await (await get(`symbol=ETHUSDT&from=2025-03-04T00:00:00Z&to=2025-03-06T00:00:00Z&format=csv`)).text();
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('symbol,tradeId,eventTimeMs,price,quantity,tradeCount,isBuyerMaker,contractSize,source');
    expect(lines).toHaveLength(11);
    expect(lines[1]).toBe(`ETHUSDT,1300,${T0 + 300_000},43200.3001,0.000000000001,,true,,ws-aggTrade`);
  });

  it('answers a Parquet file with the lake\'s exact types', async () => {
    const response = await get(`symbol=BTCUSDT&from=${T0}&to=${T0 + 300_000}&format=parquet`);
    expect(response.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    const path = join(lakeDir, 'answer.parquet');
    writeFileSync(path, Buffer.from(await response.arrayBuffer()));
    const duck = await openLakeDuckdb();
    const read = await duck.connection.runAndReadAll(`SELECT count(*), CAST(max(price) AS VARCHAR), typeof(max(price)) FROM '${path}'`);
    expect(read.getRowsJson()).toEqual([['300', '999999999999999.999999999999', 'DECIMAL(27,12)']]);
    const time = await duck.connection.runAndReadAll(`SELECT logical_type FROM parquet_schema('${path}') WHERE name = 'event_time'`);
    expect(String(time.getRowsJson()[0][0])).toContain('MILLIS');
    duck.connection.closeSync();
    duck.instance.closeSync();
  });

  it('refuses a wrong parameter with 400 naming it', async () => {
    for (const [query, parameter] of [['from=1&to=2', 'symbol'], ['symbol=BTCUSDT&to=2', 'from'], ['symbol=BTCUSDT&from=5&to=5', 'to'], ['symbol=BTCUSDT&from=1&to=2&format=xml', 'format']]) {
      const response = await get(query);
      expect({ query, status: response.status, parameter: ((await response.json()) as { parameter: string }).parameter }).toEqual({ query, status: 400, parameter });
    }
  });
});
