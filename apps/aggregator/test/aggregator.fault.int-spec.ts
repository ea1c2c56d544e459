import 'reflect-metadata';
import { DeadLetter, parsePriceMessage } from '@cryptostream/schema';
import {
  createTestDatabase, createTestTopics, ensureKafka, PrivateKafka, PrivateMariadb, produceMessages, randomName,
  readMessages, readRecordedTrades, readTopic, spreadTrades, TEST_KAFKA_BROKERS, TestDatabase, testKafka,
} from '@cryptostream/testing';
import { createMysqlPool, ensureDatabase, parseMysqlUrl } from '@cryptostream/persistence';
import { plaintextConnection } from '@cryptostream/kafka-io';
import type { Producer } from 'kafkajs';
import { AggregatorProcess } from './support/aggregator-process';
import { expectedWindows } from './support/expected-windows';
import { aggregatorLauncher, clockMessagesAfter, matches, sleep, summary, waitForTable } from './support/fault-scenario';
import { hostileMessages } from './support/hostile-messages';

/**
 * Fault tests: the aggregator runs as a child process against the real broker and MySQL and is
 * killed, starved and flooded; the table must end up equal, row for row, to the windows the
 * engine computes offline from the same messages. `FAULT_TESTS=1` runs the long variant (a few
 * hundred thousand trades, 12 kills, broker restart, 60 s MySQL outage); the default is short.
 */
const LONG = process.env['FAULT_TESTS'] === '1';
const WINDOW = { sizesMs: [10_000], graceMs: 5_000 };
/** The SIGKILL scenario runs every size at once: the larger ones are rebuilt from stored state after each kill. */
const SIZES = { sizesMs: [60_000, 300_000, 900_000, 3_600_000], graceMs: 5_000 };
const PARTITIONS = 3;

jest.setTimeout(LONG ? 900_000 : 180_000);

const report = (line: string) => process.stdout.write(`${line}\n`);

describe(`aggregator under faults (${LONG ? 'long' : 'short'} variant)`, () => {
  let recorded: Awaited<ReturnType<typeof readRecordedTrades>>;
  let producer: Producer;

  beforeAll(async () => {
    ensureKafka();
    recorded = await readRecordedTrades();
  });

  // A producer per test: kafkajs keeps refreshing metadata of every topic a producer has used,
  // and fails once an earlier test has deleted its topics.
  beforeEach(async () => {
    producer = testKafka().producer();
    await producer.connect();
  });

  afterEach(async () => {
    await producer?.disconnect();
  });

  const baseEnv = (topics: Record<string, string>, db: TestDatabase, brokers = TEST_KAFKA_BROKERS.join(',')) => ({
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC: topics['prices'],
    KAFKA_DLQ_TOPIC: topics['dlq'],
    KAFKA_GROUP_ID: randomName('group'),
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    MYSQL_URL: db.url,
    WINDOW_SIZE: '10s',
    WINDOW_GRACE_MS: String(WINDOW.graceMs),
    IDLE_CLOSE_INTERVAL_MS: '200',
  });

  it(`survives ${LONG ? 12 : 2} SIGKILLs during a replay with exactly the offline windows of every size (1m, 5m, 15m, 1h)`, async () => {
    const kills = LONG ? 12 : 2;
    const messages = spreadTrades(recorded, { symbolsPerRecording: LONG ? 5 : 1, repeats: LONG ? 3 : 1, partitions: PARTITIONS });
    // A clock message per partition two days ahead closes every window of the replay, as time would.
    const clocks = clockMessagesAfter(PARTITIONS, messages);
    const topics = await createTestTopics(['prices', 'dlq'], PARTITIONS);
    const db = await createTestDatabase();
    const { WINDOW_SIZE: _single, ...env } = baseEnv(topics.topics, db);
    const launcher = aggregatorLauncher({ ...env, WINDOW_SIZES: '1m,5m,15m,1h' }, 'kills');
    let aggregator = launcher.start();
    try {
      await aggregator.waitReady();
      // Paced so that the stream is still flowing at every kill.
      const producing = produceMessages(producer, topics.topics['prices'], messages, { perSecond: LONG ? 3_000 : 1_500 });
      const killedAt: number[] = [];
      for (let kill = 1; kill <= kills; kill++) {
        await sleep(500 + Math.random() * 2_500);
        killedAt.push(Number((await aggregator.metric('aggregator_messages_consumed_total').catch(() => 0)) ?? 0));
        aggregator.kill('SIGKILL');
        expect((await aggregator.exited).signal).toBe('SIGKILL');
        aggregator = launcher.start();
        await aggregator.waitReady();
      }
      await producing;
      await produceMessages(producer, topics.topics['prices'], clocks);
      const stored = await readTopic(testKafka(), topics.topics['prices']);
      const expected = expectedWindows(stored, SIZES, { closeAtEnd: false });
      const comparison = await waitForTable(db.pool, expected, LONG ? 300_000 : 90_000);
      const perSize = [...new Set(SIZES.sizesMs)].map((ms) => `${ms / 60_000}m:${expected.filter((w) => w.endMs - w.startMs === ms).length}`).join('/');
      report(summary('sigkill', { kills, events: stored.length, consumed_in_lives_before_kill: killedAt.join('/'), windows_per_size: perSize }, comparison));
      expect(comparison).toMatchObject({ missing: [], unexpected: [], differing: [], actual: expected.length });
      expect(await aggregator.metric('aggregator_events_late_total')).toBe(0);
      expect(await aggregator.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    } finally {
      aggregator.kill('SIGKILL');
      await topics.dispose();
      await db.drop();
    }
  });

  it('two instances share the partitions; one SIGKILLed mid-stream, the other takes over exactly', async () => {
    const messages = spreadTrades(recorded, { symbolsPerRecording: LONG ? 3 : 1, repeats: 1, partitions: PARTITIONS });
    const topics = await createTestTopics(['prices', 'dlq'], PARTITIONS);
    const db = await createTestDatabase();
    const launcher = aggregatorLauncher(baseEnv(topics.topics, db), 'pair');
    const first = launcher.start();
    const second = launcher.start();
    try {
      await Promise.all([first.waitReady(), second.waitReady()]);
      const producing = produceMessages(producer, topics.topics['prices'], messages, { perSecond: LONG ? 4_000 : 2_000 });
      await sleep(3_000 + Math.random() * 2_000);
      const consumedByFirst = (await first.metric('aggregator_messages_consumed_total')) ?? 0;
      first.kill('SIGKILL');
      await producing;
      const stored = await readTopic(testKafka(), topics.topics['prices']);
      const expected = expectedWindows(stored, WINDOW);
      const comparison = await waitForTable(db.pool, expected, 120_000);
      report(summary('two-instances', { events: stored.length, consumed_by_killed: consumedByFirst }, comparison));
      expect(consumedByFirst).toBeGreaterThan(0);
      expect(comparison).toMatchObject({ missing: [], unexpected: [], differing: [], actual: expected.length });
      expect(await second.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    } finally {
      first.kill('SIGKILL');
      second.kill('SIGKILL');
      await topics.dispose();
      await db.drop();
    }
  });

  it('sends 10,000 hostile messages to the dead-letter topic with reasons, and keeps going', async () => {
    const hostile = hostileMessages(10_000);
    const valid = spreadTrades(recorded.slice(0, 2_000), { symbolsPerRecording: 1, repeats: 1, partitions: PARTITIONS });
    const topics = await createTestTopics(['prices', 'dlq'], PARTITIONS);
    const db = await createTestDatabase();
    const aggregator = aggregatorLauncher(baseEnv(topics.topics, db), 'hostile').start();
    try {
      await aggregator.waitReady();
      const mixed = [...hostile.map((value, i) => ({ partition: i % PARTITIONS, key: null, value })), ...valid];
      await produceMessages(producer, topics.topics['prices'], mixed, { chunk: 500 });
      const letters = await readDeadLetters(topics.topics['dlq'], hostile.length, 90_000);
      const origins = new Set(letters.map((letter) => `${letter.origin?.partition}@${letter.origin?.offset}`));
      report(`[fault] hostile: sent=${hostile.length} dead_letters=${letters.length} distinct_origins=${origins.size} with_reason=${letters.filter((l) => l.reason).length}`);
      expect(origins.size).toBe(hostile.length);
      expect(letters.every((letter) => letter.reason.length > 0 && letter.rejectedBy === 'aggregator' && letter.origin?.topic === topics.topics['prices'])).toBe(true);
      expect(await aggregator.metric('aggregator_messages_invalid_total')).toBe(hostile.length);
      const stored = (await readTopic(testKafka(), topics.topics['prices'])).filter((record) => typeof parsePriceMessage(record.value) !== 'string');
      const comparison = await waitForTable(db.pool, expectedWindows(stored, WINDOW), 60_000);
      expect(matches(comparison)).toBe(true);
      expect(await aggregator.ready()).toBe(200);
    } finally {
      await aggregator.stop('SIGTERM');
      await topics.dispose();
      await db.drop();
    }
  });

  it('reports MySQL in /health/ready while it is unreachable, and keeps running', async () => {
    const topics = await createTestTopics(['prices', 'dlq'], PARTITIONS);
    const aggregator = aggregatorLauncher({
      KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_TOPIC: topics.topics['prices'], KAFKA_DLQ_TOPIC: topics.topics['dlq'], KAFKA_GROUP_ID: randomName('group'),
      MYSQL_URL: 'mysql://root@127.0.0.1:1/nowhere',
    }, 'no-mysql').start();
    try {
      // However long start-up takes on a loaded machine: 503 once it answers, with the reason.
      expect(await waitForStatus(aggregator, 503, 60_000)).toBe(503);
      await sleep(2_000);
      const ready = await aggregator.get('/health/ready');
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.body).error.mysql.message).toMatch(/127\.0\.0\.1:1/);
      expect((await aggregator.get('/health/live')).status).toBe(200);
      expect(aggregator.running).toBe(true);
    } finally {
      await aggregator.stop('SIGKILL');
      await topics.dispose();
    }
  });

  (LONG ? it : it.skip)('stays exact through a broker stop and restart mid-stream', async () => {
    const broker = new PrivateKafka(19_192);
    broker.start();
    const kafka = testKafka('fault-broker', plaintextConnection([broker.brokers]));
    const privateProducer = kafka.producer();
    const topic = randomName('prices');
    const db = await createTestDatabase();
    const messages = spreadTrades(recorded, { symbolsPerRecording: 2, repeats: 1, partitions: PARTITIONS });
    const aggregator = aggregatorLauncher(
      baseEnv({ prices: topic, dlq: `${topic}.dlq` }, db, broker.brokers),
      'broker-restart',
    ).start();
    try {
      await aggregator.waitReady();
      await privateProducer.connect();
      const half = messages.length / 2;
      await produceMessages(privateProducer, topic, messages.slice(0, half), { perSecond: 5_000 });
      broker.stop();
      const downStatus = await waitForStatus(aggregator, 503, 60_000);
      await sleep(10_000);
      broker.start();
      await produceMessages(privateProducer, topic, messages.slice(half), { perSecond: 5_000 });
      const expected = expectedWindows(await readTopic(kafka, topic), WINDOW);
      const comparison = await waitForTable(db.pool, expected, 180_000);
      report(summary('broker-restart', { events: messages.length, ready_while_down: downStatus }, comparison));
      expect(comparison).toMatchObject({ missing: [], unexpected: [], differing: [], actual: expected.length });
    } finally {
      await privateProducer.disconnect().catch(() => undefined);
      await aggregator.stop('SIGKILL');
      broker.destroy();
      await db.drop();
    }
  });

  (LONG ? it : it.skip)('stays exact through a 60 s MySQL outage mid-stream, with bounded memory', async () => {
    const mariadb = await PrivateMariadb.create(13_306 + Math.floor(Math.random() * 50));
    const settings = parseMysqlUrl(mariadb.url(randomName('outage')));
    await ensureDatabase(settings);
    const pool = createMysqlPool(settings);
    const topics = await createTestTopics(['prices', 'dlq'], PARTITIONS);
    const messages = spreadTrades(recorded, { symbolsPerRecording: 5, repeats: 2, partitions: PARTITIONS });
    const maxPending = 500;
    const aggregator = aggregatorLauncher(
      { ...baseEnv(topics.topics, { url: mariadb.url(settings.database) } as TestDatabase), MAX_PENDING_WINDOWS: String(maxPending) },
      'mysql-outage',
    ).start();
    try {
      await aggregator.waitReady();
      const producing = produceMessages(producer, topics.topics['prices'], messages, { perSecond: 4_000 });
      await sleep(8_000);
      await mariadb.stop();
      let maxSeenPending = 0;
      let readyDuringOutage = 0;
      for (let second = 0; second < 60; second++) {
        await sleep(1_000);
        maxSeenPending = Math.max(maxSeenPending, (await aggregator.metric('aggregator_pending_windows')) ?? 0);
        if (second === 30) readyDuringOutage = await aggregator.ready();
      }
      expect(aggregator.running).toBe(true);
      await mariadb.start();
      await producing;
      const expected = expectedWindows(await readTopic(testKafka(), topics.topics['prices']), WINDOW);
      const comparison = await waitForTable(pool, expected, 240_000);
      report(summary('mysql-outage', { events: messages.length, outage_s: 60, max_pending_windows: maxSeenPending, bound: maxPending, ready_during_outage: readyDuringOutage }, comparison));
      expect(readyDuringOutage).toBe(503);
      expect(maxSeenPending).toBeGreaterThan(0);
      expect(maxSeenPending).toBeLessThan(maxPending * 2);
      expect(comparison).toMatchObject({ missing: [], unexpected: [], differing: [], actual: expected.length });
      expect(await aggregator.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    } finally {
      aggregator.kill('SIGKILL');
      await pool.end().catch(() => undefined);
      await topics.dispose();
      await mariadb.destroy();
    }
  });
});

async function waitForStatus(aggregator: AggregatorProcess, status: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let seen = await aggregator.ready();
  while (seen !== status && Date.now() < deadline) {
    await sleep(500);
    seen = await aggregator.ready();
  }
  return seen;
}

async function readDeadLetters(topic: string, count: number, timeoutMs: number): Promise<DeadLetter[]> {
  const records = await readMessages(testKafka(), topic, count, { timeoutMs, withProgress: true });
  return records.map((record) => JSON.parse(record.value) as DeadLetter);
}
