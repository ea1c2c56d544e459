import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeBinance, klinesOf, startFakeBinance } from '@cryptostream/binance-fake';
import { canonicalDecimal } from '@cryptostream/schema';
import { AppProcess, createTestDatabase, createTestTopics, freePort, randomName, RECORDINGS, sleep, TEST_KAFKA_BROKERS, TestDatabase } from '@cryptostream/testing';
import type { RowDataPacket } from 'mysql2/promise';

/**
 * Gap-free in MySQL (issue 12): the real ingestor and aggregator, as processes, against the fake
 * Binance replaying recorded trades on the wall clock, two symbols on one partition. Faults: a
 * 30 s silence spanning a minute boundary, connections dropped every 10 s, a serverShutdown, and
 * one ingestor SIGKILL with a 30 s pause. Afterwards every complete minute in MySQL equals the
 * fake's own klines in open, high, low, close, volume, quote volume, trade count and taker buy
 * base and quote volume.
 *
 * `npm test` runs it with market time at 4 × real time (about 80 s; every duration below is in
 * market time); the fault suite (FAULT_TESTS=1) at real time, over five minutes.
 */
const LONG = process.env['FAULT_TESTS'] === '1';
const SPEED = LONG ? 1 : 4;
const SYMBOLS = ['TRXUSDT', 'ETHUSDT'];
const RECORDING = RECORDINGS.TRXUSDT;
const MINUTE = 60_000;
const KLINE_FIELDS = ['open', 'high', 'low', 'close', 'volume', 'quoteVolume', 'tradeCount', 'takerBuyVolume', 'takerBuyQuoteVolume'] as const;

type Row = Record<(typeof KLINE_FIELDS)[number], string> & { symbol: string; startMs: number; revision: number };

describe('gap-free windows: ingestor and aggregator against the fake Binance, with faults', () => {
  let fake: FakeBinance;
  let db: TestDatabase;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    fake = await startFakeBinance({
      recordings: [{ file: RECORDING }, { file: RECORDING, symbol: 'ETHUSDT' }],
      speed: SPEED,
      timeline: 'now',
      streams: { pingIntervalMs: 5_000 / SPEED, pongTimeoutMs: 60_000 },
    });
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop().catch(() => undefined)));
    fake.hub.dropEvery(undefined);
    await fake.close();
    await db.drop();
  }, 60_000);

  /** Wall ms until the market clock reaches `marketMs`. */
  const wallUntil = (marketMs: number) => Math.max(0, (marketMs - fake.market.clock.marketNowMs()) / SPEED);
  const atMarket = (marketMs: number) => sleep(wallUntil(marketMs));

  async function rows(fromMs: number, toMs: number): Promise<Row[]> {
    const [found] = await db.pool.query<RowDataPacket[]>(
      'SELECT symbol, start_time, open, high, low, close, volume, quote_volume, trade_count, taker_buy_volume, taker_buy_quote_volume, revision FROM moving_averages WHERE start_time >= ? AND start_time < ? ORDER BY start_time, symbol',
      [new Date(fromMs), new Date(toMs)],
    );
    return found.map((row) => ({
      symbol: row['symbol'], startMs: Date.parse(`${String(row['start_time']).replace(' ', 'T')}Z`), revision: row['revision'],
      open: row['open'], high: row['high'], low: row['low'], close: row['close'], volume: row['volume'], quoteVolume: row['quote_volume'], tradeCount: row['trade_count'],
      takerBuyVolume: row['taker_buy_volume'], takerBuyQuoteVolume: row['taker_buy_quote_volume'],
    }));
  }

  /** Every minute of [fromMs, toMs) of every symbol against the fake's klines, field by field. */
  async function differences(fromMs: number, toMs: number): Promise<string[]> {
    const stored = new Map((await rows(fromMs, toMs)).map((row) => [`${row.symbol} ${row.startMs}`, row]));
    const found: string[] = [];
    for (const symbol of SYMBOLS) {
      for (const kline of klinesOf(fake.market.visibleAggTrades(symbol), MINUTE, fromMs, toMs - 1, 1000)) {
        const [openTimeMs, open, high, low, close, volume, , quoteVolume, tradeCount, takerBuyVolume, takerBuyQuoteVolume] = kline;
        const want = { open, high, low, close, volume, quoteVolume, tradeCount: String(tradeCount), takerBuyVolume, takerBuyQuoteVolume };
        const row = stored.get(`${symbol} ${openTimeMs}`);
        const at = `${symbol} ${new Date(openTimeMs).toISOString()}`;
        if (!row) found.push(`${at}: no row`);
        else for (const field of KLINE_FIELDS) {
          if (canonicalDecimal(String(row[field])) !== canonicalDecimal(String(want[field]))) found.push(`${at} ${field}: ours ${row[field]}, kline ${want[field]}`);
        }
      }
    }
    return found;
  }

  it('writes every complete minute exactly as the exchange\'s klines, through silence, drops, serverShutdown and an ingestor SIGKILL', async () => {
    const logDir = mkdtempSync(join(tmpdir(), 'gap-free-'));
    const { topics, dispose } = await createTestTopics(['prices', 'dlq'], 1);
    const kafka = { KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_TOPIC: topics['prices'], KAFKA_DLQ_TOPIC: topics['dlq'], KAFKA_TOPIC_PARTITIONS: '1', NO_COLOR: '1' };
    const ingestorEnv = {
      ...kafka, INGESTOR_SOURCE: 'ws', SYMBOLS: SYMBOLS.join(','), BINANCE_STREAM: 'aggTrade',
      BINANCE_REST_URL: fake.restUrl, BINANCE_DAPI_URL: fake.restUrl, BINANCE_WS_URL: fake.wsUrl,
      BINANCE_SILENCE_TIMEOUT_MS: String(Math.round(12_000 / SPEED)), BINANCE_RECONNECT_BASE_MS: '100', BINANCE_RECONNECT_MAX_MS: '1000',
      SOURCE_PROGRESS_INTERVAL_MS: '250', SOURCE_PROGRESS_LAG_MS: '1000',
    };
    const ingestorPort = await freePort();
    const startIngestor = async () => {
      const app = AppProcess.start('ingestor', ingestorPort, ingestorEnv, logDir);
      apps.push(app);
      await app.waitReady();
      return app;
    };
    const aggregator = AppProcess.start('aggregator', await freePort(), {
      ...kafka, MYSQL_URL: db.url, KAFKA_GROUP_ID: randomName('group'), WINDOW_SIZE: '1m', WINDOW_GRACE_MS: '2000', IDLE_CLOSE_INTERVAL_MS: '200',
      SOURCE_PROGRESS_TIMEOUT_MS: '60000', ALLOWED_LATENESS_MS: '600000',
    }, logDir);
    apps.push(aggregator);
    try {
      await aggregator.waitReady();
      let ingestor = await startIngestor();
      // The first minute that starts after the ingestor is live is the first complete one.
      const firstMs = Math.ceil((fake.market.clock.marketNowMs() + 1_000) / MINUTE) * MINUTE;

      // Close → row delay of a healthy minute (the one before the first complete one), no fault
      // active. That minute is partial: a symbol with no trade in it has no row, so the figure is
      // null then, and the wait ends with the test's (it once held the test to its timeout).
      let measuring = true;
      const delay = (async () => {
        await sleep(Math.max(0, wallUntil(firstMs) - 200));
        const wallAtEnd = Date.now() + wallUntil(firstMs);
        while ((await rows(firstMs - MINUTE, firstMs)).length < SYMBOLS.length) {
          if (!measuring) return null;
          await sleep(10);
        }
        return Date.now() - wallAtEnd;
      })();

      const faults: string[] = [];
      fake.hub.dropEvery(10_000 / SPEED);
      faults.push('connections dropped every 10 s');
      await atMarket(firstMs + 45_000);
      fake.hub.silence(30_000 / SPEED); // spans firstMs + 60 s
      faults.push('30 s silence across a minute boundary');
      await atMarket(firstMs + 100_000);
      fake.hub.serverShutdown(2_000 / SPEED);
      faults.push('serverShutdown');
      await atMarket(firstMs + 130_000);
      const killed = ingestor.exited;
      ingestor.kill('SIGKILL');
      await killed;
      faults.push('ingestor SIGKILL, back after 30 s');
      await atMarket(firstMs + 160_000);
      ingestor = await startIngestor();
      const lastMs = firstMs + (LONG ? 5 : 3) * MINUTE;
      await atMarket(lastMs + 5_000);
      fake.hub.dropEvery(undefined);

      // Rows follow within seconds of the source completing a minute; corrections may follow them.
      let found = await differences(firstMs, lastMs);
      for (const deadline = Date.now() + 60_000; found.length > 0 && Date.now() < deadline; found = await differences(firstMs, lastMs)) await sleep(500);
      measuring = false;
      const compared = (await rows(firstMs, lastMs)).length;
      const metric = async (name: string) => {
        const body = await (await fetch(`http://127.0.0.1:${aggregator.port}/metrics`)).text();
        return Number(/^(\S+) (\S+)$/m.exec(body.split('\n').filter((line) => line.startsWith(`${name} `)).join('\n'))?.[2] ?? 0);
      };
      const figures = {
        speed: SPEED, minutesCompared: compared, faults,
        corrections: await metric('aggregator_window_corrections_total'),
        closedWithoutSource: await metric('aggregator_windows_closed_without_source_total'),
        duplicatesDropped: await metric('aggregator_duplicates_dropped_total'),
        late: await metric('aggregator_events_late_total'),
        tooLate: await metric('aggregator_events_too_late_total'),
        // Wall ms, and the same in market (event) time: at 4 × speed a wall ms is 4 market ms.
        closeToRowMs: await delay,
        closeToRowMarketMs: ((await delay) ?? Number.NaN) * SPEED,
        differences: found.length,
      };
      console.log(`gap-free figures: ${JSON.stringify(figures)} (logs in ${logDir})`);
      expect(found).toEqual([]);
      expect(compared).toBe(SYMBOLS.length * (lastMs - firstMs) / MINUTE);
      expect(figures.tooLate).toBe(0);
    } finally {
      await dispose().catch(() => undefined);
    }
  }, (LONG ? 600_000 : 150_000));

  // The cost, measured side by side on the same market: two pipelines, with and without source
  // progress, and the delay from the same minute's end to its rows (fault suite only: real time).
  (LONG ? it : it.skip)('keeps the close → row delay of a healthy minute at grace or less', async () => {
    const logDir = mkdtempSync(join(tmpdir(), 'gap-free-delay-'));
    const pipelines = await Promise.all(['250', '0'].map(async (intervalMs) => {
      const { topics, dispose } = await createTestTopics(['prices', 'dlq'], 1);
      const database = await createTestDatabase();
      const kafka = { KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_TOPIC: topics['prices'], KAFKA_DLQ_TOPIC: topics['dlq'], KAFKA_TOPIC_PARTITIONS: '1', NO_COLOR: '1' };
      const aggregator = AppProcess.start('aggregator', await freePort(), { ...kafka, MYSQL_URL: database.url, KAFKA_GROUP_ID: randomName('group'), WINDOW_SIZE: '1m', WINDOW_GRACE_MS: '2000', IDLE_CLOSE_INTERVAL_MS: '200' }, mkdtempSync(join(logDir, 'a')));
      const ingestor = AppProcess.start('ingestor', await freePort(), {
        ...kafka, INGESTOR_SOURCE: 'ws', SYMBOLS: SYMBOLS.join(','), BINANCE_REST_URL: fake.restUrl, BINANCE_DAPI_URL: fake.restUrl, BINANCE_WS_URL: fake.wsUrl, SOURCE_PROGRESS_INTERVAL_MS: intervalMs,
      }, mkdtempSync(join(logDir, 'i')));
      apps.push(aggregator, ingestor);
      await Promise.all([aggregator.waitReady(), ingestor.waitReady()]);
      return { intervalMs, database, dispose };
    }));
    try {
      const endMs = Math.ceil((fake.market.clock.marketNowMs() + 5_000) / MINUTE) * MINUTE;
      await sleep(Math.max(0, wallUntil(endMs) - 200));
      const wallAtEnd = Date.now() + wallUntil(endMs);
      const delays = await Promise.all(pipelines.map(async ({ database }) => {
        for (;;) {
          const [found] = await database.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM moving_averages WHERE start_time = ?', [new Date(endMs - MINUTE)]);
          if (Number(found[0]['n']) >= SYMBOLS.length) return Date.now() - wallAtEnd;
          await sleep(5);
        }
      }));
      console.log(`gap-free close → row delay: with source progress ${delays[0]} ms, without (grace 2000 ms) ${delays[1]} ms`);
      expect(delays[0]).toBeLessThanOrEqual(delays[1] + 500);
    } finally {
      for (const { database, dispose } of pipelines) {
        await dispose().catch(() => undefined);
        await database.drop().catch(() => undefined);
      }
    }
  }, 180_000);
});
