import 'reflect-metadata';
import { createTestDatabase, createTestTopics, type TestDatabase, ensureKafka, produceMessages, randomName, readRecordedTrades, spreadTrades, TEST_KAFKA_BROKERS, testKafka } from '@cryptostream/testing';
import type { RowDataPacket } from 'mysql2/promise';
import { expectedWindows } from './support/expected-windows';
import { aggregatorLauncher, clockMessagesAfter, sleep, summary, waitForTable } from './support/fault-scenario';

const SIZES = { sizesMs: [60_000, 300_000, 900_000, 3_600_000], graceMs: 5_000 };
const PARTITIONS = 3;
/** The aggregator's ALLOWED_LATENESS_MS: trades are held back well past grace and within it. */
const ALLOWED_LATENESS_MS = 600_000;

/**
 * Late trades revise every size (issue 12 on top of issue 9): one trade in nine is published
 * 2 to 8 minutes of stream time after it happened, far past grace, and the aggregator is
 * SIGKILLed halfway (the restart replays late trades already corrected). Every row of every size
 * (1m, 5m, 15m, 1h) must end equal to the offline windows of all trades in time order.
 */
describe('aggregator with late trades and several sizes', () => {
  beforeAll(() => ensureKafka());

  it('ends with every size exact: late trades revise the 1m, 5m, 15m and 1h rows that hold them, through a SIGKILL', async () => {
    const messages = spreadTrades(await readRecordedTrades(), { symbolsPerRecording: 1, repeats: 1, partitions: PARTITIONS });
    // Held back: publish each after the first message of its partition 2–8 minutes later, if
    // that comes within the lateness (the recordings lie hours apart).
    const held = new Map<number, number>(); // index of a held message → index it is published before
    messages.forEach((message, i) => {
      if (i % 9 !== 4) return;
      const delayMs = 120_000 + (i % 7) * 60_000;
      const at = messages.findIndex((m, j) => j > i && m.partition === message.partition && m.eventTimeMs >= message.eventTimeMs + delayMs);
      if (at > 0 && messages[at].eventTimeMs - message.eventTimeMs < ALLOWED_LATENESS_MS - 60_000) held.set(i, at);
    });
    const published = messages.flatMap((message, i) => {
      const due = [...held].filter(([, at]) => at === i).map(([h]) => messages[h]);
      return held.has(i) ? due : [...due, message];
    });
    expect(published).toHaveLength(messages.length);
    // Within one fetch a larger window closes with the late trades of that fetch already in it, so
    // whether a correction revises a written 5m, 15m or 1h row would depend on fetch boundaries.
    // The second half is published in steps instead: up to the first late trade into each larger
    // window closed before it, then that window's row is awaited in MySQL.
    const half = Math.floor(published.length / 2);
    const heldTrades = new Set([...held.keys()].map((i) => messages[i]));
    const steps = [5, 15, 60].map((minutes) => {
      const sizeMs = minutes * 60_000;
      const newestOfPartition = new Map<number, number>(); // partition → newest event time published so far
      const at = published.findIndex((message, i) => {
        const closed = heldTrades.has(message) && i > half && (Math.floor(message.eventTimeMs / sizeMs) + 1) * sizeMs + SIZES.graceMs <= (newestOfPartition.get(message.partition) ?? 0);
        if (!heldTrades.has(message)) newestOfPartition.set(message.partition, Math.max(message.eventTimeMs, newestOfPartition.get(message.partition) ?? 0));
        return closed;
      });
      expect(at).toBeGreaterThan(half);
      const trade = published[at];
      return { at, size: minutes === 60 ? '1h' : `${minutes}m`, symbol: trade.key, startMs: Math.floor(trade.eventTimeMs / sizeMs) * sizeMs };
    }).sort((a, b) => a.at - b.at);
    const clocks = clockMessagesAfter(PARTITIONS, messages);
    const topics = await createTestTopics(['prices', 'dlq'], PARTITIONS);
    const db = await createTestDatabase();
    const launcher = aggregatorLauncher({
      KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_TOPIC: topics.topics['prices'], KAFKA_DLQ_TOPIC: topics.topics['dlq'], KAFKA_GROUP_ID: randomName('group'),
      KAFKA_SESSION_TIMEOUT_MS: '6000', MYSQL_URL: db.url, WINDOW_SIZES: '1m,5m,15m,1h', WINDOW_GRACE_MS: String(SIZES.graceMs),
      ALLOWED_LATENESS_MS: String(ALLOWED_LATENESS_MS), IDLE_CLOSE_INTERVAL_MS: '200',
    }, 'late-trades');
    const producer = testKafka().producer();
    await producer.connect();
    let aggregator = launcher.start();
    try {
      await aggregator.waitReady();
      await produceMessages(producer, topics.topics['prices'], published.slice(0, half));
      // Killed once it has taken in most of the first half: corrections written, late trades still within the replay.
      for (let waited = 0; waited < 60_000 && ((await aggregator.metric('aggregator_messages_consumed_total').catch(() => 0)) ?? 0) < half * 0.8; waited += 200) await sleep(200);
      const correctedBeforeKill = (await aggregator.metric('aggregator_window_corrections_total')) ?? 0;
      aggregator.kill('SIGKILL');
      expect((await aggregator.exited).signal).toBe('SIGKILL');
      aggregator = launcher.start();
      await aggregator.waitReady();
      let from = half;
      for (const step of steps) {
        await produceMessages(producer, topics.topics['prices'], published.slice(from, step.at));
        from = step.at;
        await waitForRow(db.pool, step);
      }
      await produceMessages(producer, topics.topics['prices'], [...published.slice(from), ...clocks]);
      const expected = expectedWindows([...messages, ...clocks], SIZES, { closeAtEnd: false });
      const comparison = await waitForTable(db.pool, expected, 90_000, { ignoreRevision: true });
      const [revised] = await db.pool.query<RowDataPacket[]>('SELECT window_size, COUNT(*) AS n, MAX(revision) AS top FROM moving_averages WHERE revision > 0 GROUP BY window_size');
      const revisedBySize = Object.fromEntries(revised.map((row) => [String(row['window_size']), Number(row['n'])]));
      const tooLate = (await aggregator.metric('aggregator_events_too_late_total')) ?? 0;
      process.stdout.write(`${summary('late trades', {
        trades: messages.length, held_back: held.size, corrections_before_kill: correctedBeforeKill, too_late: tooLate,
        revised_rows: revised.map((row) => `${row['window_size']}:${row['n']} (max revision ${row['top']})`).join(' '),
      }, comparison)}\n`);
      expect(comparison).toMatchObject({ missing: [], unexpected: [], differing: [], actual: expected.length });
      expect(tooLate).toBe(0);
      // Corrections reached every size.
      for (const size of ['1m', '5m', '15m', '1h']) expect(revisedBySize[size] ?? 0).toBeGreaterThan(0);
    } finally {
      await producer.disconnect();
      aggregator.kill('SIGKILL');
      await topics.dispose();
      await db.drop();
    }
  }, 180_000);
});

/** Waits until MySQL holds the window of `size` starting at `startMs` for `symbol`. */
async function waitForRow(pool: TestDatabase['pool'], { size, symbol, startMs }: { size: string; symbol: string; startMs: number }): Promise<void> {
  const start = new Date(startMs).toISOString().slice(0, 23).replace('T', ' ');
  for (let waited = 0; waited < 60_000; waited += 200) {
    const [rows] = await pool.query<RowDataPacket[]>('SELECT 1 FROM moving_averages WHERE symbol = ? AND window_size = ? AND start_time = ?', [symbol, size, start]);
    if (rows.length > 0) return;
    await sleep(200);
  }
  throw new Error(`no ${size} row of ${symbol} from ${start} after 60 s`);
}
