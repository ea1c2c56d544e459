import 'reflect-metadata';
import { artifactIdOf, schemaIdOf } from '@cryptostream/schema';
import { ApicurioClient } from '@cryptostream/schema-registry';
import { ensureKafka, randomName, readMessages, RECORDINGS, TEST_SCHEMA_REGISTRY_URL, testKafka, waitFor } from '@cryptostream/testing';
import { RunningIngestor, startIngestor } from '../testing/ingestor-app';

describe('the ingestor with a schema registry (real Apicurio, real Kafka)', () => {
  const topics: string[] = [];
  const running: RunningIngestor[] = [];

  beforeAll(() => ensureKafka());

  afterAll(async () => {
    for (const ingestor of running) await ingestor.close();
    const admin = testKafka().admin();
    await admin.connect();
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  }, 60_000);

  async function start(registryUrl: string, group: string) {
    const topic = randomName('test_prices');
    topics.push(topic, `${topic}.dlq`);
    const ingestor = await startIngestor({
      INGESTOR_SOURCE: 'replay', REPLAY_FILES: RECORDINGS.TRXUSD_PERP, CONTRACT_SIZES: 'TRXUSD_PERP:10', KAFKA_TOPIC: topic, KAFKA_DLQ_TOPIC: `${topic}.dlq`,
      SCHEMA_REGISTRY_URL: registryUrl, SCHEMA_REGISTRY_GROUP: group,
    });
    running.push(ingestor);
    return { topic, ingestor };
  }

  it('registers its schemas and writes the id of the trade schema on every trade', async () => {
    const group = randomName('ingestor');
    const { topic, ingestor } = await start(TEST_SCHEMA_REGISTRY_URL, group);
    await waitFor('the replay to finish', async () => (await ingestor.health('/health/ready')).body.details['source']?.['state'] === 'finished', { timeoutMs: 90_000 });
    const ready = await ingestor.health('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.details['schemaRegistry']).toEqual({ status: 'up', enabled: true });

    const messages = await readMessages(testKafka(), topic, 10_000, { timeoutMs: 60_000 });
    expect(messages).toHaveLength(10_000);
    const ids = new Set(messages.map((message) => schemaIdOf(message.headers)));
    expect(ids.size).toBe(1);
    const [id] = ids;
    expect(typeof id).toBe('number');
    const client = new ApicurioClient({ url: TEST_SCHEMA_REGISTRY_URL, group });
    expect((await client.lookUp(id as number))?.version).toEqual(expect.objectContaining({ groupId: group, artifactId: artifactIdOf(topic, 'trade') }));
  }, 150_000);

  it('stays up and not ready, saying why, and sends nothing while the registry does not answer', async () => {
    const { topic, ingestor } = await start('http://127.0.0.1:1', 'unreachable');
    await waitFor('the registry problem in /health/ready', async () => /does not answer/.test(String((await ingestor.health('/health/ready')).body.details['schemaRegistry']?.['message'])), { timeoutMs: 30_000 });
    expect((await ingestor.health('/health/live')).status).toBe(200);
    const ready = await ingestor.health('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.details['schemaRegistry']).toEqual({ status: 'down', message: expect.stringMatching(/^schema registry http:\/\/127\.0\.0\.1:1 does not answer/) });
    const admin = testKafka().admin();
    await admin.connect();
    try {
      await waitFor(`${topic} to be created`, async () => (await admin.listTopics()).includes(topic), { timeoutMs: 30_000 });
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect((await admin.fetchTopicOffsets(topic)).map((partition) => partition.high)).toEqual(expect.arrayContaining(['0']));
      expect((await admin.fetchTopicOffsets(topic)).every((partition) => partition.high === '0')).toBe(true);
    } finally {
      await admin.disconnect();
    }
  }, 60_000);
});
