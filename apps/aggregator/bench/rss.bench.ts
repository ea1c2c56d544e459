/**
 * Aggregator memory with many symbols and every window size at once:
 *
 *   npm run bench:rss [-- SYMBOLS MINUTES]     (default 2000 symbols, 90 minutes of trades)
 *
 * SYMBOLS synthetic symbols trade TRADES_PER_MINUTE times a minute each for MINUTES minutes
 * (event time), spread over 3 partitions; an aggregator with WINDOW_SIZES=1m,5m,15m,1h,4h,1d
 * (BENCH_WINDOW_SIZES) and EMPTY_WINDOWS=skip (BENCH_EMPTY_WINDOWS) reads them into MySQL, in
 * two phases (BENCH_PHASES=live,backlog; each with a fresh topic, database and aggregator):
 *
 * - live: minute by minute, as a live feed brings them: a minute's trades are published once
 *   the previous minute's are committed, so closed windows never pile up in front of MySQL.
 *   What grows is the state held per symbol and size (open windows, written ones kept for
 *   corrections, larger windows being rolled up): the figure that must stay flat, ≤ 300 MB.
 * - backlog: every minute published before the aggregator starts, read as fast as it can (a
 *   replay, or a restart after an outage): closed windows wait for MySQL up to
 *   MAX_PENDING_WINDOWS, and V8 lets garbage grow with the allocation rate.
 *
 * The aggregator runs as its image does: built (`nx build aggregator`, which the npm script runs
 * first) with the image's V8 flags (AGGREGATOR_NODE_FLAGS replaces them; BENCH_AGGREGATOR_MAIN runs
 * another checkout's built main.js) and its default
 * settings (MAX_PENDING_WINDOWS and others can be set in the environment). Its resident set size
 * (`process_resident_memory_bytes` of its /metrics, sampled every 250 ms) is printed at its peak,
 * with the heap and Buffers then, and at the end. At the end every symbol has a 1m and 5m window
 * open, and 15m, 1h, 4h and 1d windows being rolled up.
 */
import 'reflect-metadata';
import { createTestDatabase, createTestTopics, ensureKafka, produceMessages, randomName, TestDatabase, testKafka } from '@cryptostream/testing';
import type { Producer } from 'kafkajs';
import type { RowDataPacket } from 'mysql2/promise';
import { AGGREGATOR_NODE_FLAGS, AggregatorProcess } from '../test/support/aggregator-process';

const SYMBOLS = Number(process.argv[2] ?? 2_000);
const MINUTES = Number(process.argv[3] ?? 90);
const TRADES_PER_MINUTE = 3;
const PARTITIONS = 3;
const WINDOW_SIZES = process.env['BENCH_WINDOW_SIZES'] ?? '1m,5m,15m,1h,4h,1d';
const EMPTY_WINDOWS = process.env['BENCH_EMPTY_WINDOWS'] ?? 'skip';
const PHASES = (process.env['BENCH_PHASES'] ?? 'live,backlog').split(',').map((phase) => phase.trim());
const START_MS = Date.UTC(2025, 2, 4);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Message = { partition: number; key: string; value: string };

/** One minute of trades in event-time order: each symbol trades at a few fixed offsets of it. */
function tradesOfMinute(minute: number): Message[] {
  const messages: Message[] = [];
  for (let k = 0; k < TRADES_PER_MINUTE; k++) {
    const eventTimeMs = START_MS + minute * 60_000 + Math.floor(((k + 0.5) * 60_000) / TRADES_PER_MINUTE);
    for (let s = 0; s < SYMBOLS; s++) {
      const symbol = `SYM${s}USDT`;
      const price = `${1 + (s % 97)}.${String((minute * 7 + k * 13 + s) % 100_000).padStart(5, '0')}`;
      const tradeId = (minute * TRADES_PER_MINUTE + k) * SYMBOLS + s + 1;
      const value = JSON.stringify({ symbol, price, timestamp: eventTimeMs / 1000, eventTimeMs, quantity: `${1 + ((s + k) % 9)}.5`, tradeId, tradeCount: 1, source: 'replay' });
      messages.push({ partition: s % PARTITIONS, key: symbol, value });
    }
  }
  return messages;
}

interface Memory {
  readonly rss: number;
  readonly heapTotal: number;
  readonly heapUsed: number;
  /** Buffers and other memory outside the V8 heap that V8 accounts for. */
  readonly external: number;
}

/**
 * Runs one phase on a fresh topic, database and aggregator: `feed` publishes the trades (calling
 * `sample` while it waits) and returns how many; the aggregator starts before it, or after it
 * for a backlog (`startAfterFeed`).
 */
async function runPhase(phase: string, feed: (producer: Producer, topic: string, db: TestDatabase, sample: () => Promise<void>) => Promise<number>, startAfterFeed: boolean): Promise<void> {
  const topics = await createTestTopics(['prices', 'dlq'], PARTITIONS);
  const db = await createTestDatabase();
  const producer = testKafka().producer();
  await producer.connect();
  let aggregator: AggregatorProcess | undefined;
  try {
    let atReady: Memory | undefined;
    let peak: Memory | undefined;
    const start = async () => {
      aggregator = AggregatorProcess.start({
        env: {
          KAFKA_TOPIC: topics.topics['prices'], KAFKA_DLQ_TOPIC: topics.topics['dlq'], KAFKA_GROUP_ID: randomName('bench_rss'), MYSQL_URL: db.url,
          WINDOW_SIZES, EMPTY_WINDOWS, WINDOW_GRACE_MS: '2000', WINDOW_UPDATES: 'off',
        },
        httpPort: 3800 + Math.floor(Math.random() * 90), logFile: `/tmp/${randomName('bench_rss')}.log`, built: true, main: process.env['BENCH_AGGREGATOR_MAIN'],
      });
      await aggregator.waitReady();
      atReady = peak = await memoryOf(aggregator);
    };
    let missed = 0;
    const sample = async () => {
      if (!aggregator!.running) throw new Error('aggregator exited during the benchmark');
      // A loaded machine can keep /metrics from answering within its timeout: that sample is missed, not the run.
      const now = await memoryOf(aggregator!).catch(() => undefined);
      if (now === undefined) missed++;
      else if (now.rss > peak!.rss) peak = now;
    };
    if (!startAfterFeed) await start();
    const started = Date.now();
    const total = await feed(producer, topics.topics['prices'], db, sample);
    if (startAfterFeed) await start();
    while (!(await allCommitted(db, topics.topics['prices'], total))) {
      await sample();
      await sleep(250);
    }
    const seconds = (Date.now() - started) / 1000;
    await sleep(2_000);
    const end = await memoryOf(aggregator!);
    if (end.rss > peak!.rss) peak = end;
    const [rows] = await db.pool.query<RowDataPacket[]>('SELECT window_size, COUNT(*) AS n FROM moving_averages GROUP BY window_size ORDER BY MIN(TIMESTAMPDIFF(SECOND, start_time, end_time))');
    const [[state]] = await db.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM window_state');
    log(`${phase}: ${total} trades read and committed in ${seconds.toFixed(1)} s; windows written: ${rows.map((row) => `${row['window_size']} ${row['n']}`).join(', ')}; window_state rows ${state['n']}`);
    log(`${phase}: aggregator RSS with ${SYMBOLS} symbols and WINDOW_SIZES=${WINDOW_SIZES} (EMPTY_WINDOWS=${EMPTY_WINDOWS}): peak ${describe(peak!)}; at the end ${describe(end)}; when ready ${describe(atReady!)}${missed > 0 ? `; ${missed} samples missed (/metrics did not answer in time)` : ''}`);
    await aggregator!.stop('SIGTERM');
  } finally {
    aggregator?.kill('SIGKILL');
    await producer.disconnect();
    await topics.dispose();
    await db.drop();
  }
}

/** A live feed: each minute once the one before is committed. */
async function live(producer: Producer, topic: string, db: TestDatabase, sample: () => Promise<void>): Promise<number> {
  let total = 0;
  for (let minute = 0; minute < MINUTES; minute++) {
    const messages = tradesOfMinute(minute);
    await produceMessages(producer, topic, messages, { chunk: 2_000 });
    total += messages.length;
    do {
      await sample();
      await sleep(100);
    } while (!(await allCommitted(db, topic, total)));
  }
  return total;
}

/** A backlog: every minute in the topic before the aggregator starts. */
async function backlog(producer: Producer, topic: string): Promise<number> {
  let total = 0;
  for (let minute = 0; minute < MINUTES; minute++) {
    const messages = tradesOfMinute(minute);
    await produceMessages(producer, topic, messages, { chunk: 2_000 });
    total += messages.length;
  }
  return total;
}

async function main(): Promise<void> {
  ensureKafka();
  log(`${SYMBOLS} symbols × ${TRADES_PER_MINUTE} trades a minute × ${MINUTES} minutes; node flags: ${process.env['AGGREGATOR_NODE_FLAGS'] ?? AGGREGATOR_NODE_FLAGS.join(' ')}`);
  for (const phase of PHASES) {
    if (phase === 'live') await runPhase('live', live, false);
    else if (phase === 'backlog') await runPhase('backlog', backlog, true);
    else throw new Error(`BENCH_PHASES: unknown phase ${JSON.stringify(phase)} (live, backlog)`);
  }
}

async function allCommitted(db: TestDatabase, topic: string, total: number): Promise<boolean> {
  const [[row]] = await db.pool.query<RowDataPacket[]>('SELECT COALESCE(SUM(next_offset), 0) AS done FROM consumer_progress WHERE topic = ?', [topic]);
  return Number(row['done']) >= total;
}

async function memoryOf(aggregator: AggregatorProcess): Promise<Memory> {
  const [rss, heapTotal, heapUsed, external] = await Promise.all(
    ['process_resident_memory_bytes', 'nodejs_heap_size_total_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_external_memory_bytes'].map(async (name) => (await aggregator.metric(name)) ?? 0),
  );
  return { rss, heapTotal, heapUsed, external };
}

const describe = (m: Memory) => `RSS ${mb(m.rss)} MB (heap ${mb(m.heapUsed)} of ${mb(m.heapTotal)} MB used, external ${mb(m.external)} MB)`;
const log = (line: string) => process.stdout.write(`bench:rss ${line}\n`);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

main().catch((error: unknown) => {
  process.stderr.write(`bench:rss failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
