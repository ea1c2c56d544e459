/**
 * Aggregator memory with many symbols and every window size at once:
 *
 *   npm run bench:rss [-- SYMBOLS MINUTES]     (default 2000 symbols, 90 minutes of trades)
 *
 * SYMBOLS synthetic symbols trade TRADES_PER_MINUTE times a minute each for MINUTES minutes
 * (event time), spread over 3 partitions and published to a fresh topic; an aggregator with
 * WINDOW_SIZES=1m,5m,15m,1h,4h,1d (BENCH_WINDOW_SIZES) and EMPTY_WINDOWS=skip (BENCH_EMPTY_WINDOWS)
 * reads them all into MySQL. Its resident set size (`process_resident_memory_bytes` of its
 * /metrics, sampled every 250 ms) is printed at its peak and at the end, with the heap. At the
 * end every symbol has a 1m and 5m window open, and 15m, 1h, 4h and 1d windows being rolled up:
 * the state that grows with sizes × symbols.
 */
import 'reflect-metadata';
import { createTestDatabase, createTestTopics, ensureKafka, produceMessages, randomName, TestDatabase, testKafka } from '@cryptostream/testing';
import type { RowDataPacket } from 'mysql2/promise';
import { AggregatorProcess } from '../src/testing/aggregator-process';

const SYMBOLS = Number(process.argv[2] ?? 2_000);
const MINUTES = Number(process.argv[3] ?? 90);
const TRADES_PER_MINUTE = 3;
const PARTITIONS = 3;
const WINDOW_SIZES = process.env['BENCH_WINDOW_SIZES'] ?? '1m,5m,15m,1h,4h,1d';
const EMPTY_WINDOWS = process.env['BENCH_EMPTY_WINDOWS'] ?? 'skip';
const START_MS = Date.UTC(2025, 2, 4);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Trades in event-time order: each symbol trades at a few fixed offsets of every minute. */
function syntheticTrades(): Array<{ partition: number; key: string; value: string }> {
  const messages: Array<{ partition: number; key: string; value: string }> = [];
  let tradeId = 1;
  for (let minute = 0; minute < MINUTES; minute++) {
    for (let k = 0; k < TRADES_PER_MINUTE; k++) {
      const eventTimeMs = START_MS + minute * 60_000 + Math.floor(((k + 0.5) * 60_000) / TRADES_PER_MINUTE);
      for (let s = 0; s < SYMBOLS; s++) {
        const symbol = `SYM${s}USDT`;
        const price = `${1 + (s % 97)}.${String((minute * 7 + k * 13 + s) % 100_000).padStart(5, '0')}`;
        const value = JSON.stringify({ symbol, price, timestamp: eventTimeMs / 1000, eventTimeMs, quantity: `${1 + ((s + k) % 9)}.5`, tradeId: tradeId++, tradeCount: 1, source: 'replay' });
        messages.push({ partition: s % PARTITIONS, key: symbol, value });
      }
    }
  }
  return messages;
}

async function main(): Promise<void> {
  ensureKafka();
  const messages = syntheticTrades();
  const topics = await createTestTopics(['prices', 'dlq'], PARTITIONS);
  const db = await createTestDatabase();
  const producer = testKafka().producer();
  await producer.connect();
  try {
    await produceMessages(producer, topics.topics['prices'], messages, { chunk: 2_000 });
    log(`published ${messages.length} trades of ${SYMBOLS} symbols over ${MINUTES} minutes`);
    const aggregator = AggregatorProcess.start({
      env: {
        KAFKA_TOPIC: topics.topics['prices'], KAFKA_DLQ_TOPIC: topics.topics['dlq'], KAFKA_GROUP_ID: randomName('bench_rss'), MYSQL_URL: db.url,
        WINDOW_SIZES, EMPTY_WINDOWS, WINDOW_GRACE_MS: '2000', WINDOW_UPDATES: 'off',
      },
      httpPort: 3800 + Math.floor(Math.random() * 90), logFile: `/tmp/${randomName('bench_rss')}.log`,
    });
    try {
      await aggregator.waitReady();
      const idleRss = (await aggregator.metric('process_resident_memory_bytes')) ?? 0;
      let peakRss = idleRss;
      while (!(await allCommitted(db, topics.topics['prices'], messages.length))) {
        if (!aggregator.running) throw new Error('aggregator exited during the benchmark');
        peakRss = Math.max(peakRss, (await aggregator.metric('process_resident_memory_bytes')) ?? 0);
        await sleep(250);
      }
      await sleep(2_000);
      const endRss = (await aggregator.metric('process_resident_memory_bytes')) ?? 0;
      const heapUsed = (await aggregator.metric('nodejs_heap_size_used_bytes')) ?? 0;
      peakRss = Math.max(peakRss, endRss);
      const [rows] = await db.pool.query<RowDataPacket[]>('SELECT window_size, COUNT(*) AS n FROM moving_averages GROUP BY window_size ORDER BY MIN(TIMESTAMPDIFF(SECOND, start_time, end_time))');
      const [[state]] = await db.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM window_state');
      log(`windows written: ${rows.map((row) => `${row['window_size']} ${row['n']}`).join(', ')}; window_state rows ${state['n']}`);
      log(`aggregator RSS with ${SYMBOLS} symbols and WINDOW_SIZES=${WINDOW_SIZES} (EMPTY_WINDOWS=${EMPTY_WINDOWS}): peak ${mb(peakRss)} MB, at the end ${mb(endRss)} MB (heap used ${mb(heapUsed)} MB; ${mb(idleRss)} MB before reading)`);
      await aggregator.stop('SIGTERM');
    } finally {
      aggregator.kill('SIGKILL');
    }
  } finally {
    await producer.disconnect();
    await topics.dispose();
    await db.drop();
  }
}

async function allCommitted(db: TestDatabase, topic: string, total: number): Promise<boolean> {
  const [[row]] = await db.pool.query<RowDataPacket[]>('SELECT COALESCE(SUM(next_offset), 0) AS done FROM consumer_progress WHERE topic = ?', [topic]);
  return Number(row['done']) >= total;
}

const log = (line: string) => process.stdout.write(`bench:rss ${line}\n`);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

main().catch((error: unknown) => {
  process.stderr.write(`bench:rss failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
