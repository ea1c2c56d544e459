import type { Kafka, KafkaMessage } from 'kafkajs';

export interface ReadToEndOptions {
  /** The reading consumer's group is this prefix, the process id and the time: its own, committing nothing. */
  readonly groupPrefix: string;
  /** How long the whole read may take (default 60 s). */
  readonly timeoutMs?: number;
}

/**
 * The one reader of a topic up to its end: hands `each` every record below each partition's end
 * offset when the call starts, partition by partition in offset order, then stops. A topic that is
 * empty is read without a consumer.
 */
export async function readToEnd(kafka: Kafka, topic: string, each: (message: KafkaMessage, partition: number) => void, { groupPrefix, timeoutMs = 60_000 }: ReadToEndOptions): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const remaining = new Map(ends.filter((end) => Number(end.high) > Number(end.low)).map((end) => [end.partition, Number(end.high)]));
  if (remaining.size === 0) return;
  const consumer = kafka.consumer({ groupId: `${groupPrefix}-${process.pid}-${Date.now()}`, maxWaitTimeInMs: 200 });
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
            each(message, batch.partition);
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
}
