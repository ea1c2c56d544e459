import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { APICURIO_SCHEMA_ID_HEADER, encodeSchemaId, SCHEMA_ID_HEADER, DeadLetter } from '@cryptostream/schema';
import { ApicurioClient, registerSchemas } from '@cryptostream/schema-registry';
import {
  createTestDatabase, createTestTopics, ensureKafka, produceMessages, randomName, readRecordedTrades, readTopic, spreadTrades, TEST_KAFKA_BROKERS, TEST_SCHEMA_REGISTRY_URL, testKafka, waitFor,
} from '@cryptostream/testing';
import { AGGREGATOR_NODE_FLAGS } from './support/aggregator-process';
import { compareWithTable, expectedWindows } from './support/expected-windows';
import { aggregatorLauncher, clockMessagesAfter, sleep, waitForTable } from './support/fault-scenario';

/**
 * The real registry behind a port of this test's own, which it can take down (connections
 * refused, open ones cut, as when the registry stops) and bring back: the shared registry stays up.
 */
class RegistryDoor {
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: URL) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(Number(this.target.port), this.target.hostname);
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.once('close', () => this.#sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const WINDOW = { sizesMs: [60_000], graceMs: 5_000 };
const PARTITIONS = 2;

/**
 * The aggregator reads the schema id each record carries (real Apicurio, Kafka, MySQL): records
 * of the registered trade and progress schemas and records without the header are windowed;
 * an unknown id, and the id of another topic's schema, go to the dead-letter topic with the reason.
 */
describe('aggregator with a schema registry', () => {
  beforeAll(() => ensureKafka());

  it('windows records of known ids (under either header name) and without a header, dead-letters unknown and foreign ids with the reason', async () => {
    const group = randomName('aggregator');
    const topics = await createTestTopics(['prices', 'dlq', 'windows'], PARTITIONS);
    const client = new ApicurioClient({ url: TEST_SCHEMA_REGISTRY_URL, group, timeoutMs: 20_000 });
    const [trade, progress, foreign] = await registerSchemas(client, [
      { topic: topics.topics['prices'], kind: 'trade' }, { topic: topics.topics['prices'], kind: 'source-progress' }, { topic: 'elsewhere', kind: 'trade' },
    ]);
    const header = (id: number, name = SCHEMA_ID_HEADER) => ({ [name]: encodeSchemaId(id) });
    const messages = spreadTrades(await readRecordedTrades(), { symbolsPerRecording: 1, repeats: 1, partitions: PARTITIONS }).slice(0, 3_000);
    // A third with the current id, a third with it under Apicurio's default header name, a third without a header (an older producer's records).
    const published = messages.map((message, i) => (i % 3 === 2 ? message : { ...message, headers: header(trade.currentId, i % 3 === 0 ? SCHEMA_ID_HEADER : APICURIO_SCHEMA_ID_HEADER) }));
    const refused = [
      { ...messages[0], headers: header(987_654_321) },
      { ...messages[1], headers: header(foreign.currentId) },
    ];
    const clocks = clockMessagesAfter(PARTITIONS, messages, 86_400_000);
    const db = await createTestDatabase();
    // V8 says when a protector is invalidated: the registry's HTTP answers must not slow the rest of the process (httpRequest).
    const launcher = aggregatorLauncher({
      KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_TOPIC: topics.topics['prices'], KAFKA_DLQ_TOPIC: topics.topics['dlq'], KAFKA_WINDOWS_TOPIC: topics.topics['windows'],
      KAFKA_GROUP_ID: randomName('group'), MYSQL_URL: db.url, WINDOW_SIZE: '1m', WINDOW_GRACE_MS: String(WINDOW.graceMs), IDLE_CLOSE_INTERVAL_MS: '200',
      SCHEMA_REGISTRY_URL: TEST_SCHEMA_REGISTRY_URL, SCHEMA_REGISTRY_GROUP: group,
    }, 'schema-ids', { nodeFlags: [...AGGREGATOR_NODE_FLAGS, '--trace-protector-invalidation'].join(' ') });
    const aggregator = launcher.start();
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
      const invalidated = (await readFile(launcher.logFile, 'utf8')).split('\n').filter((line) => line.startsWith('Invalidating protector cell'));
      expect(invalidated).not.toEqual(expect.arrayContaining([expect.stringMatching(/TypedArrayLengthLookupChain|ArrayBufferDetaching/)]));
    } finally {
      await producer.disconnect();
      aggregator.kill('SIGKILL');
      await topics.dispose();
      await db.drop();
    }
  }, 240_000);

  it('while the registry does not answer, holds records of an id not looked up yet (not ready, with the reason), and windows them once it answers', async () => {
    const group = randomName('aggregator');
    const topics = await createTestTopics(['prices', 'dlq', 'windows'], PARTITIONS);
    const client = new ApicurioClient({ url: TEST_SCHEMA_REGISTRY_URL, group, timeoutMs: 20_000 });
    const [trade] = await registerSchemas(client, [{ topic: topics.topics['prices'], kind: 'trade' }, { topic: topics.topics['prices'], kind: 'source-progress' }]);
    const header = { [SCHEMA_ID_HEADER]: encodeSchemaId(trade.currentId) };
    const messages = spreadTrades(await readRecordedTrades(), { symbolsPerRecording: 1, repeats: 1, partitions: PARTITIONS }).slice(0, 2_000);
    const clocks = clockMessagesAfter(PARTITIONS, messages, 86_400_000);
    const expected = expectedWindows([...messages, ...clocks], WINDOW);
    const door = new RegistryDoor(new URL(TEST_SCHEMA_REGISTRY_URL));
    await door.open();
    const db = await createTestDatabase();
    const launcher = aggregatorLauncher({
      KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_TOPIC: topics.topics['prices'], KAFKA_DLQ_TOPIC: topics.topics['dlq'], KAFKA_WINDOWS_TOPIC: topics.topics['windows'],
      KAFKA_GROUP_ID: randomName('group'), MYSQL_URL: db.url, WINDOW_SIZE: '1m', WINDOW_GRACE_MS: String(WINDOW.graceMs), IDLE_CLOSE_INTERVAL_MS: '200',
      SCHEMA_REGISTRY_URL: door.url, SCHEMA_REGISTRY_GROUP: group,
    }, 'schema-ids-down');
    const aggregator = launcher.start();
    const producer = testKafka().producer();
    const admin = testKafka().admin();
    await Promise.all([producer.connect(), admin.connect()]);
    try {
      await aggregator.waitReady(90_000);
      await door.close();
      // Every record carries an id this aggregator has not seen: it must ask the registry first.
      await produceMessages(producer, topics.topics['prices'], [...messages, ...clocks].map((message) => ({ ...message, headers: header })));
      const notReady = await waitFor('readiness to give the registry as the reason', async () => {
        const answer = await aggregator.get('/health/ready');
        return answer.status === 503 && /schema registry .* does not answer/.test(answer.body) ? answer.body : undefined;
      }, { timeoutMs: 60_000, explain: () => `log: ${launcher.logFile}` });
      expect(notReady).toContain(door.url);
      // Held, not refused: a few retries later nothing is windowed and nothing is dead-lettered.
      await sleep(3_000);
      expect((await compareWithTable(db.pool, expected)).actual).toBe(0);
      expect((await admin.fetchTopicOffsets(topics.topics['dlq'])).map((partition) => partition.high)).toEqual(Array(PARTITIONS).fill('0'));
      expect(aggregator.running).toBe(true);
      expect(await aggregator.ready()).toBe(503);
      // Retried after a growing backoff, not at once: the partition's stored progress, read again on
      // each retry, must not reset it (it did: about 20 retries a second, each a warning).
      const retries = (await readFile(launcher.logFile, 'utf8')).split('\n').filter((line) => line.includes('cannot read schema ids from the registry'));
      expect(retries.length).toBeGreaterThan(0);
      expect(retries.length).toBeLessThan(30);

      await door.open();
      const comparison = await waitForTable(db.pool, expected, 90_000);
      expect(comparison).toMatchObject({ missing: [], unexpected: [], differing: [] });
      await waitFor('readiness once the registry answers again', async () => (await aggregator.ready()) === 200 || undefined, { timeoutMs: 30_000 });
      expect((await admin.fetchTopicOffsets(topics.topics['dlq'])).map((partition) => partition.high)).toEqual(Array(PARTITIONS).fill('0'));
    } finally {
      await Promise.all([producer.disconnect(), admin.disconnect()]);
      aggregator.kill('SIGKILL');
      await door.close();
      await topics.dispose();
      await db.drop();
    }
  }, 240_000);
});
