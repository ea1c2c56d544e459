import { createTestDatabase, createTestTopics, ensureKafka, randomName, readRecordedTrades, spreadTrades, testKafka, TestDatabase, produceMessages, SyntheticMessage } from '@cryptostream/testing';
import type { Producer } from 'kafkajs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AggregatorProcess } from './testing/aggregator-process';
import { compareWithTable, expectedWindows, TableComparison } from './testing/expected-windows';

jest.setTimeout(180_000);

const WINDOW = { windowSizeMs: 10_000, graceMs: 2_000 };

describe('aggregator end to end (real Kafka and MySQL, aggregator as a child process)', () => {
  let topics: Awaited<ReturnType<typeof createTestTopics>>;
  let db: TestDatabase;
  let producer: Producer;
  let messages: SyntheticMessage[];
  const logFile = join(tmpdir(), `${randomName('aggregator')}.log`);

  beforeAll(async () => {
    ensureKafka();
    topics = await createTestTopics(['prices', 'dlq'], 3);
    db = await createTestDatabase();
    producer = testKafka().producer();
    await producer.connect();
    messages = spreadTrades(await readRecordedTrades(), { symbolsPerRecording: 1, repeats: 1, partitions: 3 });
  });

  afterAll(async () => {
    await producer?.disconnect();
    await topics?.dispose();
    await db?.drop();
  });

  const env = (): Record<string, string> => ({
    KAFKA_BROKERS: '127.0.0.1:9092',
    KAFKA_TOPIC: topics.topics['prices'],
    KAFKA_DLQ_TOPIC: topics.topics['dlq'],
    KAFKA_GROUP_ID: randomName('group'),
    MYSQL_URL: db.url,
    WINDOW_SIZE: '10s',
    WINDOW_GRACE_MS: String(WINDOW.graceMs),
    IDLE_CLOSE_INTERVAL_MS: '200',
  });

  it('writes exactly the offline windows, and exits 0 on SIGTERM', async () => {
    const settings = env();
    const aggregator = AggregatorProcess.start({ env: settings, httpPort: 3400 + Math.floor(Math.random() * 500), logFile });
    try {
      await aggregator.waitReady();
      await produceMessages(producer, settings.KAFKA_TOPIC, messages);
      const expected = expectedWindows(messages, WINDOW);
      const comparison = await waitForTable(db, expected, 90_000);
      expect({ ...comparison, expected: comparison.expected }).toEqual({
        expected: expected.length, actual: expected.length, missing: [], unexpected: [], differing: [],
      });
      expect(await aggregator.metric('aggregator_messages_consumed_total')).toBe(messages.length);
    } finally {
      expect(await aggregator.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    }
  });
});

async function waitForTable(db: TestDatabase, expected: Parameters<typeof compareWithTable>[1], timeoutMs: number): Promise<TableComparison> {
  const deadline = Date.now() + timeoutMs;
  let comparison = await compareWithTable(db.pool, expected);
  while (Date.now() < deadline && (comparison.missing.length > 0 || comparison.differing.length > 0)) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    comparison = await compareWithTable(db.pool, expected);
  }
  return comparison;
}
