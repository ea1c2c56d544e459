import 'reflect-metadata';
import { FakeBinance, startFakeBinance } from '@cryptostream/binance-fake';
import { PriceMessage } from '@cryptostream/schema';
import { ensureKafka, randomName, readMessages, RECORDINGS, testKafka, waitFor } from '@cryptostream/testing';
import { RunningIngestor, startIngestor } from '../testing/ingestor-app';
import { metricValue } from '../testing/metric-value';

const SYMBOLS = ['TRXUSDT', 'TRXUSD_PERP', 'BTCUSDT', 'ETHUSDT', 'BNBUSDT'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** How long the polling test runs; CI keeps it short, `REST_POLL_TEST_SECONDS=60` measures a full minute. */
const POLL_SECONDS = Number(process.env['REST_POLL_TEST_SECONDS'] ?? 5);

describe('rest source against the fake Binance', () => {
  const topics: string[] = [];
  let fake: FakeBinance;
  let ingestor: RunningIngestor | undefined;

  beforeAll(async () => {
    ensureKafka();
    fake = await startFakeBinance({
      recordings: [
        { file: RECORDINGS.TRXUSDT },
        { file: RECORDINGS.TRXUSD_PERP },
        { file: RECORDINGS.TRXUSDT, symbol: 'BTCUSDT' },
        { file: RECORDINGS.TRXUSD_PERP, symbol: 'ETHUSDT' },
        { file: RECORDINGS.TRXUSDT, symbol: 'BNBUSDT' },
      ],
      weights: { limit: 1000, windowMs: 2000, banMs: 3000 },
    });
  });

  afterEach(async () => {
    await ingestor?.close();
    ingestor = undefined;
  });

  afterAll(async () => {
    await fake.close();
    const admin = testKafka().admin();
    await admin.connect();
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  });

  async function start(extra: Record<string, string> = {}): Promise<string> {
    const topic = randomName('test_rest_prices');
    topics.push(topic, `${topic}.dlq`);
    ingestor = await startIngestor({
      INGESTOR_SOURCE: 'rest',
      SYMBOLS: SYMBOLS.join(','),
      BINANCE_REST_URL: fake.restUrl,
      BINANCE_DAPI_URL: fake.restUrl,
      KAFKA_TOPIC: topic,
      KAFKA_DLQ_TOPIC: `${topic}.dlq`,
      BINANCE_WEIGHT_WINDOW_MS: '2000',
      ...extra,
    });
    return topic;
  }

  const tickerRequests = (sinceMs: number) => fake.requests.filter((request) => request.path === '/api/v3/ticker/price' && request.atMs >= sinceMs);

  it('publishes one message per symbol per second with one request for all symbols', async () => {
    const topic = await start();
    await waitFor('the first poll', async () => (await ingestor!.health('/health/ready')).status === 200, { timeoutMs: 20_000 });
    const startedAt = Date.now();
    await sleep(POLL_SECONDS * 1000 + 200);
    const requests = tickerRequests(startedAt);
    expect(requests.length).toBeGreaterThanOrEqual(POLL_SECONDS);
    expect(requests.length).toBeLessThanOrEqual(POLL_SECONDS + 1);
    expect(requests.every((request) => request.query.includes('symbols=') && request.status === 200)).toBe(true);
    // What the polls queued reaches the broker a moment later (seconds, on a loaded machine).
    const published = await waitFor('two polls of every symbol published', async () => {
      const count = metricValue(await ingestor!.metrics(), 'ingestor_published_total');
      return count >= 2 * SYMBOLS.length && count;
    }, { timeoutMs: 20_000 });
    const messages = (await readMessages(testKafka(), topic, published)).map((message) => ({ key: message.key, price: JSON.parse(message.value) as PriceMessage }));
    for (const symbol of SYMBOLS) {
      const times = messages.filter((message) => message.key === symbol).map((message) => message.price.eventTimeMs!);
      expect(times.length).toBe(published / SYMBOLS.length);
      const gaps = times.slice(1).map((time, index) => time - times[index]);
      // Fixed-rate ticks: one late answer shifts one receive time, never the schedule (CI machines are busy).
      expect(gaps.every((gap) => gap > 700 && gap < 1300)).toBe(true);
      expect(times.at(-1)! - times[0]).toBeGreaterThan((times.length - 1) * 1000 - 300);
      if (symbol === SYMBOLS[0]) console.log(`measured: ${times.length} messages per symbol in ${(times.at(-1)! - times[0]) / 1000} s; gaps ${Math.min(...gaps)}..${Math.max(...gaps)} ms`);
    }
    expect(messages.find((message) => message.key === 'TRXUSDT')!.price).toEqual(expect.objectContaining({ symbol: 'TRXUSDT', price: expect.stringMatching(/^0\.\d{8}$/), source: 'rest-ticker' }));
  }, 60_000 + POLL_SECONDS * 1000);

  it('waits as told under a 429 storm, then stops asking for the whole of a 418 ban', async () => {
    await start({ BINANCE_POLL_INTERVAL_MS: '200' });
    await waitFor('the first poll', async () => (await ingestor!.health('/health/ready')).status === 200, { timeoutMs: 20_000 });

    const stormAt = Date.now();
    fake.failNextRequests(429, 3, 1);
    await waitFor('the storm to pass', () => tickerRequests(stormAt).filter((request) => request.status === 200).length > 0, { timeoutMs: 15_000 });
    // The storm is its 429s and the first 200 after them: on a busy machine the probe can see the next poll too.
    const since = tickerRequests(stormAt);
    const firstLimited = since.findIndex((request) => request.status === 429);
    const storm = since.slice(firstLimited, since.findIndex((request, index) => index > firstLimited && request.status === 200) + 1);
    expect(storm.map((request) => request.status)).toEqual([429, 429, 429, 200]);
    const waits = storm.slice(1).map((request, index) => request.atMs - storm[index].atMs);
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(1000);
    expect(metricValue(await ingestor!.metrics(), 'ingestor_rate_limited_total', { status: '429' })).toBe(3);

    const banAt = Date.now();
    fake.ban(3000);
    await waitFor('a 418', () => tickerRequests(banAt).some((request) => request.status === 418), { timeoutMs: 5000 });
    const readiness = await ingestor!.health('/health/ready');
    expect(readiness.status).toBe(503);
    expect(String(readiness.body.details['source']['message'])).toMatch(/banned by Binance \(418\)/);
    await waitFor('the ban to end', () => tickerRequests(banAt).some((request) => request.status === 200), { timeoutMs: 10_000 });
    const during = tickerRequests(banAt);
    const firstBanned = during.find((request) => request.status === 418)!;
    const afterBan = during.find((request) => request.status === 200)!;
    expect(during.filter((request) => request.status === 418)).toHaveLength(1);
    expect(afterBan.atMs - firstBanned.atMs).toBeGreaterThanOrEqual(2900);
    console.log(`measured: 429 waits ${waits.join(', ')} ms; 418 silence ${afterBan.atMs - firstBanned.atMs} ms`);
  }, 60_000);

  it('slows down before the weight limit instead of running into 429', async () => {
    const since = Date.now();
    await start({ BINANCE_POLL_INTERVAL_MS: '50', BINANCE_WEIGHT_LIMIT: '40' });
    await sleep(4500);
    const requests = tickerRequests(since);
    expect(requests.every((request) => request.status === 200)).toBe(true);
    const perWindow = new Map<number, number>();
    for (const request of requests) perWindow.set(Math.floor(request.atMs / 2000), (perWindow.get(Math.floor(request.atMs / 2000)) ?? 0) + 1);
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(9);
    expect(requests.length).toBeGreaterThanOrEqual(9);
  }, 30_000);

  it('reports the weight Binance counts this minute, and its limit, for as long as that minute lasts', async () => {
    await start({ BINANCE_WEIGHT_LIMIT: '1200' });
    const used = async () => metricValue(await ingestor!.metrics(), 'ingestor_binance_used_weight_1m');
    await waitFor('a used weight', async () => (await used()) > 0, { timeoutMs: 20_000 });
    expect(metricValue(await ingestor!.metrics(), 'ingestor_binance_weight_limit_1m')).toBe(1200);
    fake.slowDown(2500); // no answer, so no new count, past the end of the 2-second weight window
    try {
      await waitFor('the used weight to fall back to 0 when its window ends', async () => (await used()) === 0, { timeoutMs: 6000 });
    } finally {
      fake.slowDown(0);
      await ingestor!.close();
      ingestor = undefined;
      await sleep(2600); // the answers held back are sent before another test counts requests
    }
  }, 60_000);
});
