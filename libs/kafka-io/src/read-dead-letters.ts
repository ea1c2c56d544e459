import { DeadLetter, decodeDeadLetter } from '@cryptostream/schema';
import type { Kafka } from 'kafkajs';

/** One record of the dead-letter topic: where it sits, and the letter (or why it is not one). */
export interface StoredLetter {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly letter: DeadLetter;
}

/**
 * Every record of the dead-letter topic up to its end when the call starts, in partition and
 * offset order. Reads with a consumer group of its own that commits nothing.
 */
export async function readDeadLetters(kafka: Kafka, topic: string, timeoutMs = 60_000): Promise<StoredLetter[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const remaining = new Map(ends.filter((end) => Number(end.high) > Number(end.low)).map((end) => [end.partition, Number(end.high)]));
  const letters: StoredLetter[] = [];
  if (remaining.size === 0) return letters;
  const consumer = kafka.consumer({ groupId: `dlq-cli-${process.pid}-${Date.now()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${topic} took over ${timeoutMs} ms`)), timeoutMs);
      void consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const high = remaining.get(batch.partition);
          if (high === undefined) return;
          for (const message of batch.messages) {
            if (Number(message.offset) >= high) break;
            letters.push({ partition: batch.partition, offset: message.offset, key: message.key?.toString() ?? null, letter: letterOf(message.value?.toString() ?? '') });
          }
          if (Number(batch.lastOffset()) + 1 >= high) remaining.delete(batch.partition);
          if (remaining.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return letters.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
}

/** A record that is not a dead letter (written by hand, say) is shown as one, with the reason. */
function letterOf(value: string): DeadLetter {
  const letter = decodeDeadLetter(value);
  if (typeof letter !== 'string') return letter;
  return { reason: `not a dead letter (${letter})`, payload: value, rejectedBy: 'unknown', rejectedAtMs: 0 };
}
