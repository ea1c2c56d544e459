import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createKafka, KafkaConnection, plaintextConnection } from '@cryptostream/kafka-io';
import type { Admin, Kafka } from 'kafkajs';
import { randomName } from './random-name';

/** The broker integration tests use: KAFKA_BROKERS, else the project's own on 127.0.0.1:9092. */
export const TEST_KAFKA_BROKERS = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');

/**
 * Starts the project's Kafka broker (scripts/kafka.sh) unless one answers already, so that an
 * integration test run needs nothing started by hand.
 */
export function ensureKafka(): void {
  if (process.env['KAFKA_BROKERS']) return;
  execFileSync('bash', [join(__dirname, '../../../scripts/kafka.sh'), 'start'], { stdio: 'inherit' });
}

/** The local test broker, plaintext, unless the test names another connection (the secured broker). */
export function testKafka(clientId = 'cryptostream-test', connection: KafkaConnection = plaintextConnection(TEST_KAFKA_BROKERS)): Kafka {
  return createKafka({ clientId, connection });
}

/** Creates topics with random names and deletes them on `dispose()`. */
export async function createTestTopics(
  names: readonly string[],
  partitions = 3,
  connection?: KafkaConnection,
): Promise<{ topics: Record<string, string>; admin: Admin; dispose(): Promise<void> }> {
  const admin = testKafka('cryptostream-test', connection).admin();
  await admin.connect();
  const topics = Object.fromEntries(names.map((name) => [name, randomName(`test_${name}`)]));
  await admin.createTopics({
    waitForLeaders: true,
    topics: Object.values(topics).map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
  });
  return {
    topics,
    admin,
    async dispose() {
      await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}
