import type { Producer } from 'kafkajs';

/** Publishes messages in order, `chunk` per request; returns when the broker has them all. */
export async function produceMessages(
  producer: Producer,
  topic: string,
  messages: readonly { partition?: number; key?: string | null; value: string | Buffer | null }[],
  chunk = 1_000,
): Promise<void> {
  for (let from = 0; from < messages.length; from += chunk) {
    await producer.send({
      topic,
      acks: -1,
      messages: messages.slice(from, from + chunk).map(({ partition, key, value }) => ({ partition, key: key ?? null, value })),
    });
  }
}
