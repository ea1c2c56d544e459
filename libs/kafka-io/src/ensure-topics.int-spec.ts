import { randomUUID } from 'node:crypto';
import type { Admin } from 'kafkajs';
import { ensureTopics } from './ensure-topics';
import { createKafka } from './kafka-client';
import { plaintextConnection } from './kafka-security';

// The broker jest's global setup provides (KAFKA_BROKERS, else scripts/kafka.sh's); libs/testing
// is not used here because it is built on this library.
const BROKERS = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const randomName = (prefix: string) => `${prefix}_${randomUUID().slice(0, 8)}`;

describe('ensureTopics on a real broker', () => {
  let admin: Admin;
  const created: string[] = [];

  beforeAll(async () => {
    admin = createKafka({ clientId: 'kafka-io-int-spec', connection: plaintextConnection(BROKERS) }).admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: created }).catch(() => undefined);
    await admin.disconnect();
  });

  const minInsync = async (topic: string): Promise<string | undefined> => {
    const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: topic, configNames: ['min.insync.replicas'] }] });
    return resources[0].configEntries.find((entry) => entry.configName === 'min.insync.replicas')?.configValue;
  };

  it('creates missing topics replicated for the cluster it finds, and leaves existing ones alone', async () => {
    const topic = randomName('kafkaio_topic');
    created.push(topic);
    const brokers = (await admin.describeCluster()).brokers.length;
    expect(await ensureTopics(admin, [{ topic, numPartitions: 2 }])).toEqual([topic]);
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    expect(metadata.partitions).toHaveLength(2);
    expect(metadata.partitions[0].replicas).toHaveLength(Math.min(3, brokers));
    expect(await minInsync(topic)).toBe(brokers >= 3 ? '2' : '1');
    expect(await ensureTopics(admin, [{ topic, numPartitions: 5 }])).toEqual([]);
  });

  it('sets min.insync.replicas from the settings', async () => {
    const topic = randomName('kafkaio_isr');
    created.push(topic);
    await ensureTopics(admin, [{ topic, numPartitions: 1 }], { replicationFactor: 1, minInsyncReplicas: 1 });
    expect(await minInsync(topic)).toBe('1');
  });

  it('refuses a replication factor the cluster cannot hold, naming the setting, and creates nothing', async () => {
    const topic = randomName('kafkaio_refused');
    const brokers = (await admin.describeCluster()).brokers.length;
    await expect(ensureTopics(admin, [{ topic, numPartitions: 1 }], { replicationFactor: brokers + 1 })).rejects.toThrow(/KAFKA_REPLICATION_FACTOR/);
    expect(await admin.listTopics()).not.toContain(topic);
  });
});
