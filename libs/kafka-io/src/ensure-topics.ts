import type { Admin } from 'kafkajs';
import { resolveReplication, TopicReplication } from './topic-replication';

export interface TopicSpec {
  readonly topic: string;
  readonly numPartitions: number;
}

/**
 * Creates the topics that do not exist yet (the broker's auto-creation is off, so that a typo
 * in a topic name fails loudly instead of creating a stray topic), replicated as `replication`
 * says for the cluster it finds (see {@link resolveReplication}), with `min.insync.replicas`
 * set on the topic so that `acks=all` writes survive the loss of a broker. Existing topics are
 * left as they are. Returns the names it created.
 */
export async function ensureTopics(admin: Admin, specs: readonly TopicSpec[], replication: TopicReplication = {}): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existing.has(spec.topic));
  if (missing.length === 0) return [];
  const { brokers } = await admin.describeCluster();
  const { replicationFactor, minInsyncReplicas } = resolveReplication(replication, brokers.length);
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((spec) => ({
      topic: spec.topic,
      numPartitions: spec.numPartitions,
      replicationFactor,
      configEntries: [{ name: 'min.insync.replicas', value: String(minInsyncReplicas) }],
    })),
  });
  return missing.map((spec) => spec.topic);
}
