import { Admin, ConfigResourceTypes } from 'kafkajs';

/**
 * Bytes a record batch adds around one record's key and value: the batch header (61) and a
 * record's own header (at most 21 for messages this small). Counted for each record, so an
 * estimate never falls short of what the broker checks.
 */
export const RECORD_OVERHEAD_BYTES = 82;

/** Kafka's default `max.message.bytes`, used when a topic's cannot be read. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

/** Each topic's `max.message.bytes`: the largest record batch the broker takes for it. */
export async function readMessageLimits(admin: Admin, topics: readonly string[]): Promise<Map<string, number>> {
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['max.message.bytes'] })),
  });
  return new Map(
    resources.map((resource) => {
      const value = Number(resource.configEntries.find((entry) => entry.configName === 'max.message.bytes')?.configValue);
      return [resource.resourceName, Number.isSafeInteger(value) && value > 0 ? value : DEFAULT_MAX_MESSAGE_BYTES];
    }),
  );
}

export interface SizedMessage {
  readonly topic: string;
  readonly key: string | null;
  readonly value: string;
}

/** The bytes a message takes in a record batch of its own. */
export function recordBytes(message: SizedMessage): number {
  return RECORD_OVERHEAD_BYTES + Buffer.byteLength(message.value) + (message.key === null ? 0 : Buffer.byteLength(message.key));
}

/**
 * Splits messages, in order, into runs whose summed record sizes stay within the smallest limit
 * of their topics, so that no partition's record batch can pass its topic's limit; a message
 * larger than its topic's limit on its own goes to `oversized` (the broker would refuse it).
 */
export function splitWithinLimits<T extends SizedMessage>(messages: readonly T[], limitOf: (topic: string) => number): { runs: T[][]; oversized: T[] } {
  const runs: T[][] = [];
  const oversized: T[] = [];
  let run: T[] = [];
  let runBytes = 0;
  let runLimit = Number.POSITIVE_INFINITY;
  for (const message of messages) {
    const bytes = recordBytes(message);
    const limit = limitOf(message.topic);
    if (bytes > limit) {
      oversized.push(message);
      continue;
    }
    if (run.length > 0 && (runBytes + bytes > Math.min(runLimit, limit))) {
      runs.push(run);
      run = [];
      runBytes = 0;
      runLimit = Number.POSITIVE_INFINITY;
    }
    run.push(message);
    runBytes += bytes;
    runLimit = Math.min(runLimit, limit);
  }
  if (run.length > 0) runs.push(run);
  return { runs, oversized };
}
