import { retry, sleep, withTimeout } from '@cryptostream/service-runtime';
import type { Kafka, Producer } from 'kafkajs';

export interface ProduceOptions {
  /** Messages per request. */
  readonly chunk?: number;
  /** Paces production to about this many messages per second (as fast as possible when absent). */
  readonly perSecond?: number;
}

const ATTEMPTS = 10;

/**
 * Publishes messages in order; returns when the broker has them all. A failed request is sent
 * again (a loaded broker may not know a new topic yet), so a message may be stored twice: tests
 * that need the exact input read it back with {@link readTopic}.
 */
export async function produceMessages(
  producer: Producer,
  topic: string,
  messages: readonly { partition?: number; key?: string | null; value: string | Buffer | null; headers?: Record<string, Buffer> }[],
  { chunk = 1_000, perSecond }: ProduceOptions = {},
): Promise<void> {
  const started = Date.now();
  for (let from = 0; from < messages.length; from += chunk) {
    const batch = messages.slice(from, from + chunk).map(({ partition, key, value, headers }) => ({ partition, key: key ?? null, value, ...(headers ? { headers } : {}) }));
    // A broker being restarted by a fault test refuses for a while; anything else fails the test.
    await retry(() => producer.send({ topic, acks: -1, messages: batch }), { baseMs: 250, maxAttempts: ATTEMPTS });
    if (perSecond) {
      const dueMs = ((from + batch.length) / perSecond) * 1000 - (Date.now() - started);
      if (dueMs > 0) await sleep(dueMs);
    }
  }
}

/** A record as stored in the topic. */
export interface StoredRecord {
  readonly partition: number;
  readonly offset: number;
  readonly value: string;
}

/** Every record of the topic, partition by partition in offset order (what consumers will see). */
export async function readTopic(kafka: Kafka, topic: string, timeoutMs = 120_000): Promise<StoredRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const remaining = new Map(ends.map((end) => [end.partition, Number(end.high)]));
  const records: StoredRecord[] = [];
  const consumer = kafka.consumer({ groupId: `read_${topic}_${Date.now()}`, maxBytesPerPartition: 8 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const check = () => [...remaining.entries()].every(([partition, high]) => countOf(partition) >= high);
  const counts = new Map<number, number>();
  const countOf = (partition: number) => counts.get(partition) ?? 0;
  if (check()) done();
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) {
        records.push({ partition: batch.partition, offset: Number(message.offset), value: message.value?.toString('utf8') ?? '' });
      }
      counts.set(batch.partition, Number(batch.lastOffset()) + 1);
      if (check()) done();
    },
  });
  try {
    await withTimeout(finished, timeoutMs, () => {
      throw new Error(`readTopic ${topic}: timeout`);
    });
  } finally {
    await consumer.disconnect();
  }
  return records.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}
