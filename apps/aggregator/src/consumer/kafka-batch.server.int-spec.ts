import 'reflect-metadata';
import { createTestTopics, ensureKafka, randomName, TEST_KAFKA_BROKERS, testKafka, waitFor } from '@cryptostream/testing';
import { loadAggregatorConfig } from '../config/aggregator.config';
import type { MysqlSchemaService } from '../persistence/mysql-schema.service';
import { ActiveConsumer } from './active-consumer';
import { FetchedBatch, PARTITIONS_ASSIGNED, PRICE_BATCH } from './batch-transport';
import { ConsumerReadiness } from './consumer-readiness';
import { KafkaBatchServer } from './kafka-batch.server';

/**
 * An error kafkajs does not retry itself (`retriable: false`) but whose cause is retriable: the
 * consumer crashes at once and kafkajs restarts it, as after retries run out in a rebalance.
 */
function retriableCrash(): Error {
  const transient = Object.assign(new Error('broker away for a moment'), { retriable: true });
  return Object.assign(new Error('batch failed', { cause: transient }), { retriable: false });
}

/** What kafkajs itself threw in a rebalance race (tulios/kafkajs#1441): a crash it never restarts. */
function kafkajsTypeError(): Error {
  return new TypeError("Cannot read properties of null (reading 'brokers')");
}

describe('KafkaBatchServer readiness (real Kafka)', () => {
  beforeAll(() => ensureKafka());

  it.each([
    ['kafkajs restarts it', retriableCrash, /consumer crashed: batch failed \(restarting\)/],
    ['kafkajs gives up on it', kafkajsTypeError, /consumer crashed: Cannot read properties of null.*\(kafkajs gives up on it: replacing the consumer\)/],
  ])('is ready again after a consumer crash that %s, and reads the record again', async (_, crash, reason) => {
    const topics = await createTestTopics(['prices', 'dlq'], 1);
    const config = loadAggregatorConfig({
      KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_TOPIC: topics.topics['prices'], KAFKA_DLQ_TOPIC: topics.topics['dlq'],
      KAFKA_GROUP_ID: randomName('group'), KAFKA_SESSION_TIMEOUT_MS: '6000',
    });
    const schemaReady = { ready: async () => undefined } as unknown as MysqlSchemaService;
    const server = new KafkaBatchServer(config, schemaReady, new ConsumerReadiness(), new ActiveConsumer());
    const seen: string[] = [];
    const problems = new Set<string>();
    let crashes = 1;
    server.addHandler(PARTITIONS_ASSIGNED, async () => undefined, true);
    server.addHandler(PRICE_BATCH, async (fetched: FetchedBatch) => {
      for (const message of fetched.batch.messages) seen.push(message.offset);
      if (crashes-- > 0) throw crash();
      fetched.resolveOffset(fetched.batch.messages[fetched.batch.messages.length - 1].offset);
    }, true);
    const producer = testKafka().producer();
    const watch = setInterval(() => problems.add(server.problem ?? 'ready'), 20);
    try {
      server.listen(() => undefined);
      await waitFor('the consumer is ready', () => server.problem === undefined, { timeoutMs: 30_000, everyMs: 50 });
      await producer.connect();
      await producer.send({ topic: topics.topics['prices'], acks: -1, messages: [{ value: 'one' }] });
      await waitFor('the consumer has read the record again after the crash', () => seen.length >= 2, { timeoutMs: 45_000, everyMs: 50 });
      await waitFor('the consumer is ready again', () => server.problem === undefined, { timeoutMs: 30_000, everyMs: 50 });
      expect(seen.slice(0, 2)).toEqual(['0', '0']);
      expect([...problems].some((problem) => reason.test(problem))).toBe(true);
    } finally {
      clearInterval(watch);
      await producer.disconnect();
      await server.close();
      await topics.dispose();
    }
  }, 120_000);

  it('reads the partition again from the offset a batch handler acknowledges with a seek', async () => {
    const topics = await createTestTopics(['prices', 'dlq'], 1);
    const config = loadAggregatorConfig({
      KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_TOPIC: topics.topics['prices'], KAFKA_DLQ_TOPIC: topics.topics['dlq'], KAFKA_GROUP_ID: randomName('group'),
    });
    const schemaReady = { ready: async () => undefined } as unknown as MysqlSchemaService;
    const server = new KafkaBatchServer(config, schemaReady, new ConsumerReadiness(), new ActiveConsumer());
    const seen: string[] = [];
    let seeks = 1;
    server.addHandler(PARTITIONS_ASSIGNED, async () => undefined, true);
    server.addHandler(PRICE_BATCH, async (fetched: FetchedBatch) => {
      for (const message of fetched.batch.messages) seen.push(message.offset);
      if (seen.includes('2') && seeks-- > 0) return { seekTo: 1 };
      fetched.resolveOffset(fetched.batch.messages[fetched.batch.messages.length - 1].offset);
      return undefined;
    }, true);
    const producer = testKafka().producer();
    try {
      await producer.connect();
      await producer.send({ topic: topics.topics['prices'], acks: -1, messages: ['zero', 'one', 'two'].map((value) => ({ value })) });
      server.listen(() => undefined);
      await waitFor('the records after the seek are read again', () => seen.filter((offset) => offset === '2').length >= 2, { timeoutMs: 45_000, everyMs: 50 });
      expect(seen.slice(seen.indexOf('2') + 1)).toEqual(['1', '2']);
    } finally {
      await producer.disconnect();
      await server.close();
      await topics.dispose();
    }
  }, 60_000);
});
