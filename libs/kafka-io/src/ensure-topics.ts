import type { Admin } from 'kafkajs';

export interface TopicSpec {
  readonly topic: string;
  readonly numPartitions: number;
}

/**
 * Creates the topics that do not exist yet (the broker's auto-creation is off, so that a typo
 * in a topic name fails loudly instead of creating a stray topic). Existing topics are left as
 * they are. Returns the names it created.
 */
export async function ensureTopics(admin: Admin, specs: readonly TopicSpec[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existing.has(spec.topic));
  if (missing.length === 0) return [];
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((spec) => ({ topic: spec.topic, numPartitions: spec.numPartitions, replicationFactor: 1 })),
  });
  return missing.map((spec) => spec.topic);
}
