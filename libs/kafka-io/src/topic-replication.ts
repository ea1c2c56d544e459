import { ConfigError } from '@cryptostream/schema';

/**
 * How many copies of each partition the topics get, and how many of them must have a write
 * before the broker acknowledges it to an `acks=all` producer. Unset values follow the size of
 * the cluster the topics are created on: 1 and 1 on a single broker, 3 and 2 on three or more
 * (one broker may die without losing an acknowledged write or stopping the producers).
 */
export interface TopicReplication {
  readonly replicationFactor?: number;
  readonly minInsyncReplicas?: number;
}

/** The setting names, for error messages and for the apps' config loaders. */
export const REPLICATION_SETTINGS = {
  replicationFactor: 'KAFKA_REPLICATION_FACTOR',
  minInsyncReplicas: 'KAFKA_MIN_INSYNC_REPLICAS',
} as const;

/**
 * Reads `KAFKA_REPLICATION_FACTOR` and `KAFKA_MIN_INSYNC_REPLICAS` (both optional); throws a
 * ConfigError naming the setting when one is not a whole number from 1 to 32 or when the
 * minimum in-sync replicas exceed the replication factor.
 */
export function parseTopicReplication(env: Readonly<Record<string, string | undefined>>): TopicReplication {
  const read = (setting: string): number | undefined => {
    const text = env[setting]?.trim();
    if (!text) return undefined;
    if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 32) {
      throw new ConfigError(setting, `must be a whole number from 1 to 32, got ${JSON.stringify(text)}`);
    }
    return Number(text);
  };
  const replicationFactor = read(REPLICATION_SETTINGS.replicationFactor);
  const minInsyncReplicas = read(REPLICATION_SETTINGS.minInsyncReplicas);
  if (replicationFactor !== undefined && minInsyncReplicas !== undefined && minInsyncReplicas > replicationFactor) {
    throw new ConfigError(
      REPLICATION_SETTINGS.minInsyncReplicas,
      `must not exceed ${REPLICATION_SETTINGS.replicationFactor} (${replicationFactor}), got ${minInsyncReplicas}: no write could ever be acknowledged`,
    );
  }
  return Object.freeze({
    ...(replicationFactor === undefined ? {} : { replicationFactor }),
    ...(minInsyncReplicas === undefined ? {} : { minInsyncReplicas }),
  });
}

/**
 * The replication for a cluster of `brokers` brokers: the settings where given, else 3 and 2
 * (at most the cluster's size). A factor larger than the cluster is a ConfigError, not a topic
 * that Kafka would refuse with a less helpful message.
 */
export function resolveReplication(settings: TopicReplication, brokers: number): Required<TopicReplication> {
  const replicationFactor = settings.replicationFactor ?? Math.min(3, brokers);
  if (replicationFactor > brokers) {
    throw new ConfigError(
      REPLICATION_SETTINGS.replicationFactor,
      `is ${replicationFactor} but the cluster has ${brokers} broker${brokers === 1 ? '' : 's'}`,
    );
  }
  const minInsyncReplicas = settings.minInsyncReplicas ?? Math.max(1, Math.min(2, replicationFactor - 1));
  if (minInsyncReplicas > replicationFactor) {
    throw new ConfigError(
      REPLICATION_SETTINGS.minInsyncReplicas,
      `must not exceed the replication factor (${replicationFactor}), got ${minInsyncReplicas}`,
    );
  }
  return { replicationFactor, minInsyncReplicas };
}
