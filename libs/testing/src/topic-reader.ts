import { isSourceProgressRecord } from '@cryptostream/schema';
import type { IHeaders, Kafka } from 'kafkajs';
import { randomName } from './random-name';

/** A record as stored in the topic. */
export interface StoredRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly value: string;
  readonly headers: IHeaders;
}

/**
 * Every record of the topic up to its end when called, partition by partition in offset order
 * (what consumers will see); fails after `timeoutMs`.
 */
export async function readTopic(kafka: Kafka, topic: string, timeoutMs = 120_000): Promise<StoredRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const next = new Map<number, number>();
  const done = () => ends.every((end) => (next.get(end.partition) ?? 0) >= Number(end.high));
  const { records, finished } = await readFromStart(kafka, topic, timeoutMs, (_batch, partition, nextOffset) => {
    next.set(partition, nextOffset);
    return done();
  }, done());
  if (!finished) throw new Error(`readTopic ${topic}: timeout`);
  return records.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

export interface ReadMessagesOptions {
  /** How long to wait for them; then what has arrived is returned. */
  readonly timeoutMs?: number;
  /** Source-progress records are left out (and not counted) unless this is set. */
  readonly withProgress?: boolean;
}

/** The first `count` messages of the topic as they arrive (fewer when `timeoutMs` passes first). */
export async function readMessages(kafka: Kafka, topic: string, count: number, { timeoutMs = 30_000, withProgress = false }: ReadMessagesOptions = {}): Promise<StoredRecord[]> {
  const wanted = (record: StoredRecord) => withProgress || !isSourceProgressRecord(record.value);
  let arrived = 0;
  const { records } = await readFromStart(kafka, topic, timeoutMs, (batch) => {
    arrived += batch.filter(wanted).length;
    return arrived >= count;
  }, count <= 0);
  return records.filter(wanted);
}

/**
 * The one consumer loop of the readers: from the beginning, with a group of its own, until
 * `enough` (asked after each batch with its records and the partition's next offset) holds or
 * `timeoutMs` passes.
 */
async function readFromStart(
  kafka: Kafka,
  topic: string,
  timeoutMs: number,
  enough: (batch: readonly StoredRecord[], partition: number, nextOffset: number) => boolean,
  already: boolean,
): Promise<{ records: StoredRecord[]; finished: boolean }> {
  const records: StoredRecord[] = [];
  if (already) return { records, finished: true };
  const consumer = kafka.consumer({ groupId: randomName('test_reader'), maxWaitTimeInMs: 200, maxBytesPerPartition: 8 * 1024 * 1024 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const finished = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      void consumer.run({
        eachBatch: async ({ batch }) => {
          const read = batch.messages.map((message): StoredRecord => ({
            partition: batch.partition, offset: Number(message.offset), key: message.key?.toString() ?? null, value: message.value?.toString('utf8') ?? '', headers: message.headers ?? {},
          }));
          records.push(...read);
          if (enough(read, batch.partition, Number(batch.lastOffset()) + 1)) {
            clearTimeout(timer);
            resolve(true);
          }
        },
      });
    });
    return { records, finished };
  } finally {
    await consumer.disconnect();
  }
}
