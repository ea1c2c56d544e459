import 'reflect-metadata';
import { readDeadLetters } from '@cryptostream/kafka-io';
import {
  createTestDatabase, createTestTopics, ensureKafka, produceMessages, randomName, readRecordedTrades, readTopic, spreadTrades,
  TEST_KAFKA_BROKERS, testKafka,
} from '@cryptostream/testing';
import type { WindowFigures } from '@cryptostream/windowing';
import type { RowDataPacket } from 'mysql2/promise';
import { expectedWindows } from './support/expected-windows';
import { aggregatorLauncher, sleep, summary, waitForTable } from './support/fault-scenario';
import { fuzzCases } from './support/fuzz-messages';

/**
 * Fuzz through the whole path: thousands of generated messages, valid at the schema's limits and
 * invalid in every way, mixed into a normal stream of recorded trades, through the broker and a
 * real aggregator process into MySQL. Every valid message must be in its window exactly (the
 * table equals the offline engine over the topic), every invalid one in the dead-letter topic
 * with a reason, no window of the normal stream late or missing, and the process up throughout.
 * One case of valid messages makes a window MySQL cannot hold (trade_count past INT UNSIGNED):
 * it must be set apart in `dead_windows` while everything else is written.
 * `FUZZ_TESTS=1` (`npm run test:fuzz`) runs the long variant.
 */
const LONG = process.env['FUZZ_TESTS'] === '1';
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261126);
const FUZZ_MESSAGES = LONG ? 40_000 : 3_000;
const NORMAL_TRADES = LONG ? 20_000 : 2_000;
const WINDOW = { sizesMs: [10_000], graceMs: 5_000 };
const PARTITIONS = 3;
const POISON = { name: 'valid, window past MySQL: 4,295 aggTrades of 1,000,000 trades in one window', symbol: 'FZPOISONUSDT', count: 4_295 };

jest.setTimeout(LONG ? 900_000 : 240_000);

const report = (line: string) => process.stdout.write(`${line}\n`);
const textOf = (value: string | Buffer | null) => (value === null ? '' : value.toString());

describe(`aggregator fuzz (${LONG ? 'long' : 'short'} variant, seed ${SEED})`, () => {
  it('stores every valid message exactly, dead-letters every invalid one with a reason, loses nothing and never stops', async () => {
    ensureKafka();
    const recorded = await readRecordedTrades();
    const normal = spreadTrades(recorded.slice(0, NORMAL_TRADES), { symbolsPerRecording: LONG ? 2 : 1, repeats: 1, partitions: PARTITIONS });
    const cases = fuzzCases(SEED, 500);

    // Fuzz messages between the normal ones, each at the event time of its neighbour: valid ones
    // follow the stream's clock (none late, none pushing the watermark), each case on one partition.
    const caseOf = new Map<string, string>(normal.map((m) => [m.value, 'normal stream (recorded trades)']));
    const sent = new Map<string, number>([['normal stream (recorded trades)', normal.length]]);
    const mixed: { partition: number; key: string | null; value: string | Buffer | null }[] = [];
    const perCase = new Map<string, number>();
    let next = 0;
    for (let k = 0; k < FUZZ_MESSAGES; k++) {
      const anchor = Math.floor((k * normal.length) / FUZZ_MESSAGES);
      while (next <= anchor) mixed.push(normal[next++]);
      const index = k % cases.length;
      const fuzz = cases[index];
      const i = perCase.get(fuzz.name) ?? 0;
      perCase.set(fuzz.name, i + 1);
      const value = fuzz.make(i, normal[anchor].eventTimeMs);
      if (!caseOf.has(textOf(value))) caseOf.set(textOf(value), fuzz.name);
      sent.set(fuzz.name, (sent.get(fuzz.name) ?? 0) + 1);
      mixed.push({ partition: fuzz.valid ? index % PARTITIONS : k % PARTITIONS, key: null, value });
    }
    while (next < normal.length) mixed.push(normal[next++]);
    // The poison window: all in one window of one partition, halfway through the stream.
    const half = normal[Math.floor(normal.length / 2)];
    const poison = Array.from({ length: POISON.count }, (_, i) => ({
      partition: 0, key: POISON.symbol,
      value: JSON.stringify({ symbol: POISON.symbol, price: '2.5', quantity: '1', timestamp: half.eventTimeMs / 1000, eventTimeMs: half.eventTimeMs, tradeId: i, tradeCount: 1_000_000 }),
    }));
    for (const { value } of poison) caseOf.set(value, POISON.name);
    mixed.splice(mixed.indexOf(half) + 1, 0, ...poison);
    sent.set(POISON.name, POISON.count);
    // Dead letters that once made their own send too large (the partition stalled behind them):
    // a run of 5 KB messages that one fetch takes together, and two of almost 1 MB made of quotes
    // (each escaped again in the letter: 2 MB).
    const BURST = 'invalid: 1,200 messages of 5 KB in a row, 2 of almost 1 MB';
    const burst = [
      ...Array.from({ length: 1_200 }, (_, i) => ({ partition: 1, key: null, value: JSON.stringify({ symbol: 'FZBURST', price: '1', timestamp: 1741046404, pad: 'p'.repeat(5_000), i }) })),
      ...[0, 1].map((i) => ({ partition: 2, key: null, value: JSON.stringify({ symbol: 'FZHUGE', price: '1', timestamp: 1741046404, pad: '"'.repeat(500_000), i }) })),
    ];
    for (const { value } of burst) caseOf.set(value, BURST);
    sent.set(BURST, burst.length);

    const topics = await createTestTopics(['prices', 'dlq'], PARTITIONS);
    const db = await createTestDatabase();
    const aggregator = aggregatorLauncher({
      KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_TOPIC: topics.topics['prices'], KAFKA_DLQ_TOPIC: topics.topics['dlq'],
      KAFKA_GROUP_ID: randomName('group'), KAFKA_SESSION_TIMEOUT_MS: '6000', MYSQL_URL: db.url, WINDOW_SIZE: '10s',
      WINDOW_GRACE_MS: String(WINDOW.graceMs), IDLE_CLOSE_INTERVAL_MS: '200',
    }, 'fuzz').start();
    const producer = testKafka().producer();
    try {
      await aggregator.waitReady();
      await producer.connect();
      await produceMessages(producer, topics.topics['prices'], mixed, { chunk: 500 });
      await produceMessages(producer, topics.topics['prices'], burst.slice(0, 1_200), { chunk: 100 });
      await produceMessages(producer, topics.topics['prices'], burst.slice(1_200), { chunk: 1 });
      const stored = await readTopic(testKafka(), topics.topics['prices']);
      const isPoison = (w: WindowFigures) => w.symbol === POISON.symbol;
      const all = expectedWindows(stored, WINDOW);
      const expected = all.filter((w) => !isPoison(w));
      const comparison = await waitForTable(db.pool, expected, LONG ? 300_000 : 120_000);

      // Dead letters: one per invalid record, by its origin.
      const invalidCount = [...sent].filter(([name]) => name === BURST || cases.find((c) => c.name === name)?.valid === false).reduce((n, [, count]) => n + count, 0);
      let letters = await readDeadLetters(testKafka(), topics.topics['dlq']);
      for (const deadline = Date.now() + 60_000; letters.length < invalidCount && Date.now() < deadline; ) {
        await sleep(1_000);
        letters = await readDeadLetters(testKafka(), topics.topics['dlq']);
      }
      const recordAt = new Map(stored.map((record) => [`${record.partition}@${record.offset}`, record.value]));
      const deadLettered = new Map<string, number>();
      const withoutReason: string[] = [];
      for (const { letter } of letters) {
        const value = recordAt.get(`${letter.origin?.partition}@${letter.origin?.offset}`);
        const name = value === undefined ? 'unknown origin' : caseOf.get(value) ?? 'unknown origin';
        deadLettered.set(name, (deadLettered.get(name) ?? 0) + 1);
        if (!letter.reason) withoutReason.push(name);
      }

      // Stored exactly: the messages each case's windows count, in rows equal to the offline engine's.
      const [rows] = await db.pool.query<RowDataPacket[]>('SELECT symbol, event_count FROM moving_averages');
      const [dead] = await db.pool.query<RowDataPacket[]>('SELECT symbol, reason, window_json FROM dead_windows');
      const caseOfSymbol = new Map<string, string>();
      for (const record of stored) {
        const name = caseOf.get(record.value);
        const symbol = /"symbol":\s*"([^"]+)"/.exec(record.value)?.[1];
        if (name && symbol && !name.startsWith('invalid')) caseOfSymbol.set(symbol, name);
      }
      const storedExactly = new Map<string, number>();
      const differingSymbols = new Set([...comparison.missing, ...comparison.unexpected, ...comparison.differing].map((key) => key.split(' ')[0]));
      for (const row of rows) {
        const name = caseOfSymbol.get(String(row['symbol']));
        if (name && !differingSymbols.has(String(row['symbol']))) storedExactly.set(name, (storedExactly.get(name) ?? 0) + Number(row['event_count']));
      }
      const setApart = dead.reduce((n, row) => n + (JSON.parse(String(row['window_json'])) as WindowFigures).eventCount, 0);

      report(`[fuzz] seed=${SEED} messages=${stored.length} (normal ${normal.length}, fuzz ${FUZZ_MESSAGES}, poison ${POISON.count}) ${summary('table', {}, comparison).replace('[fault] table: ', '')}`);
      report('[fuzz] case | sent | stored exactly | dead-lettered | set apart (dead_windows) | lost');
      const lostByCase: Record<string, number> = {};
      for (const [name, count] of sent) {
        const exact = storedExactly.get(name) ?? 0;
        const letter = deadLettered.get(name) ?? 0;
        const apart = name === POISON.name ? setApart : 0;
        lostByCase[name] = count - exact - letter - apart;
        report(`[fuzz] ${name} | ${count} | ${exact} | ${letter} | ${apart} | ${lostByCase[name]}`);
      }

      expect(comparison).toMatchObject({ missing: [], unexpected: [], differing: [], actual: expected.length });
      expect(Object.values(lostByCase).every((lost) => lost === 0)).toBe(true);
      expect(deadLettered.get('unknown origin')).toBeUndefined();
      expect(withoutReason).toEqual([]);
      expect(letters).toHaveLength(invalidCount);
      expect(dead.map((row) => [row['symbol'], row['reason']])).toEqual([[POISON.symbol, expect.stringMatching(/Out of range value for column 'trade_count'/)]]);
      expect(await aggregator.metric('aggregator_events_late_total')).toBe(0);
      expect(await aggregator.metric('aggregator_messages_consumed_total')).toBe(stored.length);
      expect(await aggregator.metric('aggregator_windows_dead_lettered_total')).toBe(1);
      expect(aggregator.running).toBe(true);
      expect(await aggregator.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    } finally {
      aggregator.kill('SIGKILL');
      await producer.disconnect();
      await topics.dispose();
      await db.drop();
    }
  });
});
