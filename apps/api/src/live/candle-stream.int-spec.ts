import 'reflect-metadata';
import { encodeWindowUpdate, WindowUpdate } from '@cryptostream/schema';
import { AppProcess, createTestDatabase, createTestTopics, freePort, TEST_KAFKA_BROKERS, TestDatabase, testKafka, waitFor } from '@cryptostream/testing';
import type { Producer } from 'kafkajs';
import { request } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

jest.setTimeout(120_000);

const T0 = Date.UTC(2025, 2, 4);
const LOGS = join(__dirname, '../../../../tmp/candle-stream-test');

const update = (symbol: string, minute: number, tradeCount: number, closed = false): WindowUpdate => ({
  symbol, source: 'trades', windowSizeMs: 60_000, startMs: T0 + minute * 60_000, endMs: T0 + (minute + 1) * 60_000,
  open: '0.23097', high: '0.2310000', low: '0.2305', close: `0.23${10 + tradeCount}`, volume: '1443073.0', quoteVolume: '332948.24274',
  baseVolume: null, takerBuyVolume: null, takerBuyQuoteVolume: null, takerBuyBaseVolume: null, vwap: '0.23072234', averagePrice: '0.2308', tradeCount, eventCount: tradeCount, revision: 0, closed, publishedAtMs: Date.now(),
});

interface Received {
  readonly id: number;
  readonly event: string;
  readonly data: { symbol: string; tradeCount: number; closed: boolean; close: string; volume: string };
}

/** An SSE client over plain HTTP: collects events until `stop()`. */
function openStream(port: number, path: string, lastEventId?: number) {
  const events: Received[] = [];
  let buffer = '';
  const headers: Record<string, string> = lastEventId === undefined ? {} : { 'Last-Event-ID': String(lastEventId) };
  let status = 0;
  const req = request({ host: '127.0.0.1', port, path, headers }, (response) => {
    status = response.statusCode ?? 0;
    response.setEncoding('utf8');
    response.on('data', (text: string) => {
      buffer += text;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const field = (name: string) => [...frame.matchAll(/^(\w+): (.*)$/gm)].find((m) => m[1] === name)?.[2];
        const data = field('data');
        if (data) events.push({ id: Number(field('id') ?? -1), event: field('event') ?? 'message', data: JSON.parse(data) });
      }
    });
  });
  req.end();
  return { events, status: () => status, stop: () => req.destroy() };
}

describe('live candles over SSE (real Kafka topic, the API as a process)', () => {
  let db: TestDatabase;
  let topics: Awaited<ReturnType<typeof createTestTopics>>;
  let api: AppProcess;
  let producer: Producer;
  const send = (...updates: WindowUpdate[]) =>
    producer.send({ topic: topics.topics['windows'], acks: -1, messages: updates.map((u) => ({ key: u.symbol, value: encodeWindowUpdate(u) })) });

  beforeAll(async () => {
    mkdirSync(LOGS, { recursive: true });
    db = await createTestDatabase();
    topics = await createTestTopics(['windows']);
    api = AppProcess.start('api', await freePort(), {
      MYSQL_URL: db.url, KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_WINDOWS_TOPIC: topics.topics['windows'], SSE_REPLAY_UPDATES: '8',
    }, LOGS);
    await api.waitReady(60_000);
    producer = testKafka('candle-stream-test').producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await api?.stop();
    await topics?.dispose();
    await db?.drop();
  });

  it('streams the updates of one symbol, then resumes after Last-Event-ID without gap or duplicate', async () => {
    const first = openStream(api.port, '/api/candles/stream?symbol=TRXUSDT&interval=1m');
    await waitFor('the stream to open', () => first.status() === 200, { timeoutMs: 20_000, everyMs: 50 });
    for (let n = 1; n <= 5; n++) await send(update('TRXUSDT', 0, n), update('ETHUSDT', 0, n));
    await waitFor('five TRXUSDT updates', () => first.events.length === 5, { timeoutMs: 20_000, everyMs: 50 });
    expect(first.events.map((e) => [e.event, e.data.symbol, e.data.tradeCount])).toEqual([1, 2, 3, 4, 5].map((n) => ['candle', 'TRXUSDT', n]));
    expect(first.events[0].data).toMatchObject({ closed: false, close: '0.2311', volume: '1443073' }); // exact, canonical decimals
    const ids = first.events.map((e) => e.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);

    // The client drops after the third event; five more updates come while it is away.
    first.stop();
    const lastSeen = ids[2];
    for (let n = 6; n <= 10; n++) await send(update('TRXUSDT', n < 10 ? 0 : 1, n, n === 9));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const resumed = openStream(api.port, '/api/candles/stream?symbol=TRXUSDT&interval=1m', lastSeen);
    await waitFor('the missed updates and the new ones', () => resumed.events.length === 7, { timeoutMs: 20_000, everyMs: 50 });
    expect(resumed.events.map((e) => e.data.tradeCount)).toEqual([4, 5, 6, 7, 8, 9, 10]);
    expect(resumed.events.find((e) => e.data.tradeCount === 9)?.data.closed).toBe(true);
    await send(update('TRXUSDT', 1, 11));
    await waitFor('a live update after the resume', () => resumed.events.length === 8, { timeoutMs: 20_000, everyMs: 50 });
    expect(new Set(resumed.events.map((e) => e.id)).size).toBe(8);
    resumed.stop();

    // A new stream (no Last-Event-ID) starts with the latest state of the newest windows.
    const fresh = openStream(api.port, '/api/candles/stream?symbol=TRXUSDT&interval=1m');
    await waitFor('the newest windows', () => fresh.events.length === 2, { timeoutMs: 20_000, everyMs: 50 });
    expect(fresh.events.map((e) => [e.data.tradeCount, e.data.closed])).toEqual([[9, true], [11, false]]);
    fresh.stop();
  });

  it('asks the client to reload history when the updates it missed are not held', async () => {
    // 8 updates a symbol are held (trimmed in chunks): 20 more push the first ones out.
    for (let n = 12; n < 32; n++) await send(update('TRXUSDT', 1, n));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stream = openStream(api.port, '/api/candles/stream?symbol=TRXUSDT&interval=1m', 0);
    await waitFor('event: reset', () => stream.events.some((e) => e.event === 'reset'), { timeoutMs: 20_000, everyMs: 50 });
    expect(stream.events.filter((e) => e.event === 'candle').length).toBeGreaterThan(0);
    stream.stop();
  });

  it('refuses a bad parameter with a 400 naming it', async () => {
    const response = await fetch(`http://127.0.0.1:${api.port}/api/candles/stream?symbol=TRXUSDT&interval=7m`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ parameter: 'interval', message: 'interval: must be one of 1m, got "7m"' });
    const page = await fetch(`http://127.0.0.1:${api.port}/api/candles?limit=10`);
    expect([page.status, ((await page.json()) as { parameter: string }).parameter]).toEqual([400, 'symbol']);
  });
});
