import 'reflect-metadata';
import { encodeSchemaId, SCHEMA_ID_HEADER, DeadLetter } from '@cryptostream/schema';
import { ApicurioClient, registerSchemas } from '@cryptostream/schema-registry';
import {
  createTestDatabase, createTestTopics, ensureKafka, produceMessages, randomName, readRecordedTrades, readTopic, spreadTrades, TEST_KAFKA_BROKERS, TEST_SCHEMA_REGISTRY_URL, testKafka,
} from '@cryptostream/testing';
import { expectedWindows } from './support/expected-windows';
import { aggregatorLauncher, clockMessagesAfter, waitForTable } from './support/fault-scenario';

const WINDOW = { sizesMs: [60_000], graceMs: 5_000 };
const PARTITIONS = 2;

/**
 * The aggregator reads the schema id each record carries (real Apicurio, Kafka, MySQL): records
 * of the registered trade and progress schemas and records without the header are windowed;
 * an unknown id, and the id of another topic's schema, go to the dead-letter topic with the reason.
 */
describe('aggregator with a schema registry', () => {
  beforeAll(() => ensureKafka());

  it('windows records of known ids and without a header, dead-letters unknown and foreign ids with the reason', async () => {
    const group = randomName('aggregator');
    const topics = await createTestTopics(['prices', 'dlq', 'windows'], PARTITIONS);
    const client = new ApicurioClient({ url: TEST_SCHEMA_REGISTRY_URL, group, timeoutMs: 20_000 });
    const [trade, progress, foreign] = await registerSchemas(client, [
      { topic: topics.topics['prices'], kind: 'trade' }, { topic: topics.topics['prices'], kind: 'source-progress' }, { topic: 'elsewhere', kind: 'trade' },
    ]);
    const header = (id: number) => ({ [SCHEMA_ID_HEADER]: encodeSchemaId(id) });
    const messages = spreadTrades(await readRecordedTrades(), { symbolsPerRecording: 1, repeats: 1, partitions: PARTITIONS }).slice(0, 3_000);
    // Half with the current id, half without a header (an older producer's records).
    const published = messages.map((message, i) => (i % 2 === 0 ? { ...message, headers: header(trade.currentId) } : message));
    const refused = [
      { ...messages[0], headers: header(987_654_321) },
      { ...messages[1], headers: header(foreign.currentId) },
    ];
    const clocks = clockMessagesAfter(PARTITIONS, messages, 86_400_000);
    const db = await createTestDatabase();
    const aggregator = aggregatorLauncher({
      KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_TOPIC: topics.topics['prices'], KAFKA_DLQ_TOPIC: topics.topics['dlq'], KAFKA_WINDOWS_TOPIC: topics.topics['windows'],
      KAFKA_GROUP_ID: randomName('group'), MYSQL_URL: db.url, WINDOW_SIZE: '1m', WINDOW_GRACE_MS: String(WINDOW.graceMs), IDLE_CLOSE_INTERVAL_MS: '200',
      SCHEMA_REGISTRY_URL: TEST_SCHEMA_REGISTRY_URL, SCHEMA_REGISTRY_GROUP: group,
    }, 'schema-ids').start();
    const producer = testKafka().producer();
    await producer.connect();
    try {
      await aggregator.waitReady(90_000);
      await produceMessages(producer, topics.topics['prices'], [...published, ...refused, ...clocks.map((clock) => ({ ...clock, headers: header(trade.currentId) }))]);
      const comparison = await waitForTable(db.pool, expectedWindows([...messages, ...clocks], WINDOW), 90_000);
      expect(comparison).toMatchObject({ missing: [], unexpected: [], differing: [] });
      const letters = (await readTopic(testKafka(), topics.topics['dlq'], 30_000)).map((record) => JSON.parse(record.value) as DeadLetter);
      expect(letters).toHaveLength(2);
      expect(letters.map((letter) => letter.reason)).toEqual(expect.arrayContaining([
        expect.stringMatching(new RegExp(`^schema id ${foreign.currentId} is ${group}/elsewhere-trade version 1, not a schema of ${topics.topics['prices']}`)),
        `unknown schema id 987654321: the registry at ${TEST_SCHEMA_REGISTRY_URL} has no such schema`,
      ]));
      expect(progress.currentId).toBeGreaterThan(0);
    } finally {
      await producer.disconnect();
      aggregator.kill('SIGKILL');
      await topics.dispose();
      await db.drop();
    }
  }, 240_000);
});
