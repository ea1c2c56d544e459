/**
 * End-to-end throughput and latency of the aggregator on this machine's broker and MySQL:
 *
 *   npm run bench:e2e [-- N]       (N trades, default 600000)
 *
 * 1. N trades (the recordings, spread over 10 symbols and repeated) are published to a fresh
 *    topic; then, one after the other on the same topic: a bare kafkajs eachBatch consumer that
 *    only counts, Nest's built-in Kafka transport that only counts, and the aggregator, timed
 *    until MySQL holds the progress of all N (every window they closed is committed).
 *    The aggregator runs twice, into two fresh databases: without window updates
 *    (WINDOW_UPDATES=off) and with them (open windows every second, final ones after each
 *    commit, to a topic of their own), so that the cost of publishing them shows as a ratio.
 *    BENCH_WINDOW_UPDATES=off or =on runs only one of the two.
 *    Each of those runs once per WINDOW_SIZES in BENCH_WINDOW_SIZES (`;`-separated; default
 *    `1m;1m,5m,15m,1h,4h,1d`): the ratio of six sizes to 1m alone is printed.
 * 2. Latency: trades published at 10,000/s to a second topic; the aggregator's own measure of
 *    window close → row committed (p50, p99) is read from /metrics.
 */
import { sleep } from '@cryptostream/service-runtime';
import 'reflect-metadata';
import { createTestDatabase, createTestTopics, ensureKafka, produceMessages, randomName, readRecordedTrades, spreadTrades, TestDatabase, testKafka, TEST_KAFKA_BROKERS } from '@cryptostream/testing';
import type { RowDataPacket } from 'mysql2/promise';
import { AggregatorProcess } from '../src/testing/aggregator-process';
import { countWithNestKafkaServer } from './nest-builtin-consumer';

const N = Number(process.argv[2] ?? process.env['BENCH_TRADES'] ?? 600_000);
const LATENCY_RATE = 10_000;
const LATENCY_SECONDS = Number(process.env['BENCH_LATENCY_SECONDS'] ?? 30);
const SIZE_SETS = (process.env['BENCH_WINDOW_SIZES'] ?? '1m;1m,5m,15m,1h,4h,1d').split(';').map((sizes) => sizes.trim()).filter(Boolean);
const UPDATE_MODES = (process.env['BENCH_WINDOW_UPDATES'] ?? 'both') === 'both' ? ['off', 'on'] : [process.env['BENCH_WINDOW_UPDATES'] === 'off' ? 'off' : 'on'];

async function main(): Promise<void> {
  ensureKafka();
  const recorded = await readRecordedTrades();
  const perRecording = Math.max(1, Math.ceil(N / recorded.length / 3));
  const messages = spreadTrades(recorded, { symbolsPerRecording: perRecording, repeats: 3, partitions: 3 }).slice(0, N);
  const topics = await createTestTopics(['prices', 'dlq', 'latency', 'latency_dlq', 'windows'], 3);
  const db = await createTestDatabase();
  const windowsTopic = topics.topics['windows'];
  const producer = testKafka().producer();
  await producer.connect();
  try {
    const started = performance.now();
    await produceMessages(producer, topics.topics['prices'], messages, { chunk: 2_000 });
    log(`published ${messages.length} trades in ${seconds(performance.now() - started)} s`);

    const bareMs = await countWithBareConsumer(topics.topics['prices'], messages.length);
    const bareRate = messages.length / (bareMs / 1000);
    log(`bare kafkajs eachBatch consumer: ${rate(bareRate)} trades/s (${seconds(bareMs)} s)`);

    const nestMs = await countWithNestKafkaServer({ brokers: TEST_KAFKA_BROKERS, topic: topics.topics['prices'], groupId: randomName('bench_nest'), expected: messages.length });
    const nestRate = messages.length / (nestMs / 1000);
    log(`Nest built-in Kafka transport (count only): ${rate(nestRate)} trades/s (${seconds(nestMs)} s)`);

    // Started after publishing, so that it reads a backlog as the two consumers above did.
    const rates = new Map<string, number>();
    for (const sizes of SIZE_SETS) for (const updates of UPDATE_MODES) {
      const runDb = await createTestDatabase();
      try {
        const aggregator = AggregatorProcess.start({
          env: { ...env(topics.topics['prices'], topics.topics['dlq'], runDb), WINDOW_SIZES: sizes, WINDOW_UPDATES: updates, KAFKA_WINDOWS_TOPIC: windowsTopic },
          httpPort: 3900 + Math.floor(Math.random() * 90), logFile: `/tmp/${randomName('bench_aggregator')}.log`,
        });
        await aggregator.waitReady();
        const { elapsedMs, measured } = await timeUntilCommitted(runDb, topics.topics['prices'], messages.length, aggregator);
        const aggregatorRate = measured / (elapsedMs / 1000);
        rates.set(`${sizes} ${updates}`, aggregatorRate);
        const [[{ windows }]] = await runDb.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS windows FROM moving_averages');
        log(`aggregator end to end, WINDOW_SIZES=${sizes}, window updates ${updates} (broker -> windows -> MySQL committed): ${rate(aggregatorRate)} trades/s (${measured} trades in ${seconds(elapsedMs)} s after the first commit; ${windows} windows written)`);
        await aggregator.stop('SIGTERM');
        log(`ratio aggregator (updates ${updates}) / bare consumer: ${((aggregatorRate / bareRate) * 100).toFixed(1)} %   (Nest built-in / bare: ${((nestRate / bareRate) * 100).toFixed(1)} %)`);
      } finally {
        await runDb.drop();
      }
    }
    for (const sizes of SIZE_SETS) {
      const [on, off] = [rates.get(`${sizes} on`), rates.get(`${sizes} off`)];
      if (on && off) log(`window updates cost (WINDOW_SIZES=${sizes}): updates on / off = ${((on / off) * 100).toFixed(1)} %`);
    }
    for (const updates of UPDATE_MODES) {
      const [one, ...more] = SIZE_SETS.map((sizes) => rates.get(`${sizes} ${updates}`)!);
      more.forEach((rateOfMore, i) => log(`sizes cost (updates ${updates}): WINDOW_SIZES=${SIZE_SETS[i + 1]} / WINDOW_SIZES=${SIZE_SETS[0]} = ${((rateOfMore / one) * 100).toFixed(1)} %`));
    }

    await measureLatency(topics.topics['latency'], topics.topics['latency_dlq'], db, recorded, windowsTopic);
  } finally {
    await producer.disconnect();
    await topics.dispose();
    await db.drop();
  }
}

function env(topic: string, dlq: string, db: TestDatabase): Record<string, string> {
  return { KAFKA_TOPIC: topic, KAFKA_DLQ_TOPIC: dlq, KAFKA_GROUP_ID: randomName('bench'), MYSQL_URL: db.url, WINDOW_SIZES: '1m', WINDOW_GRACE_MS: '2000', IDLE_CLOSE_INTERVAL_MS: '1000' };
}

async function countWithBareConsumer(topic: string, expected: number): Promise<number> {
  const consumer = testKafka('bench-bare').consumer({ groupId: randomName('bench_bare'), maxBytesPerPartition: 4 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let count = 0;
  let firstAt = 0;
  let finish: (ms: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  await consumer.run({
    eachBatch: async ({ batch }) => {
      if (count === 0) firstAt = performance.now();
      count += batch.messages.length;
      if (count >= expected) finish(performance.now() - firstAt);
    },
  });
  const elapsed = await finished;
  await consumer.disconnect();
  return elapsed;
}

/**
 * Rate at which MySQL's committed progress covers the published offsets: from the first commit
 * seen (the aggregator has fetched, windowed and written its first batch) to the one covering all.
 */
async function timeUntilCommitted(db: TestDatabase, topic: string, total: number, aggregator: AggregatorProcess) {
  let first: { at: number; done: number } | undefined;
  for (;;) {
    const [[row]] = await db.pool.query<RowDataPacket[]>('SELECT COALESCE(SUM(next_offset), 0) AS done FROM consumer_progress WHERE topic = ?', [topic]);
    const done = Number(row['done']);
    const now = performance.now();
    if (done > 0 && !first) first = { at: now, done };
    if (first && done >= total) return { elapsedMs: now - first.at, measured: total - first.done };
    if (!aggregator.running) throw new Error('aggregator exited during the benchmark');
    await sleep(20);
  }
}

async function measureLatency(topic: string, dlq: string, db: TestDatabase, recorded: Awaited<ReturnType<typeof readRecordedTrades>>, windowsTopic: string): Promise<void> {
  const count = LATENCY_RATE * LATENCY_SECONDS;
  const messages = spreadTrades(recorded, { symbolsPerRecording: 25, repeats: 1, partitions: 3 }).slice(0, count);
  const aggregator = AggregatorProcess.start({
    env: { ...env(topic, dlq, db), KAFKA_WINDOWS_TOPIC: windowsTopic }, httpPort: 3990 + Math.floor(Math.random() * 9), logFile: `/tmp/${randomName('bench_latency')}.log`,
  });
  await aggregator.waitReady();
  const producer = testKafka().producer();
  await producer.connect();
  const started = performance.now();
  await produceMessages(producer, topic, messages, { chunk: 500, perSecond: LATENCY_RATE });
  const achieved = messages.length / ((performance.now() - started) / 1000);
  await sleep(3_000);
  const { body } = await aggregator.get('/metrics');
  const quantile = (q: string) => Number(new RegExp(`aggregator_window_close_to_visible_seconds\\{quantile="${q}"\\} (\\S+)`).exec(body)?.[1]) * 1000;
  const samples = Number(/aggregator_window_close_to_visible_seconds_count (\S+)/.exec(body)?.[1]);
  const flushCount = Number(/aggregator_flush_duration_seconds_count (\S+)/.exec(body)?.[1]);
  const flushSum = Number(/aggregator_flush_duration_seconds_sum (\S+)/.exec(body)?.[1]);
  log(`latency at ${rate(achieved)} trades/s for ${LATENCY_SECONDS} s: window close -> row committed p50 ${quantile('0.5').toFixed(1)} ms, p99 ${quantile('0.99').toFixed(1)} ms over ${samples} windows; ${flushCount} transactions, mean ${((flushSum / flushCount) * 1000).toFixed(1)} ms`);
  await producer.disconnect();
  await aggregator.stop('SIGTERM');
}

const log = (line: string) => process.stdout.write(`bench:e2e ${line}\n`);
const seconds = (ms: number) => (ms / 1000).toFixed(2);
const rate = (perSecond: number) => Math.round(perSecond).toLocaleString('en-US');

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:e2e failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
