import { retry, sleep } from '@cryptostream/service-runtime';
import type { Producer } from 'kafkajs';

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
 * that need the exact input read it back with `readTopic`.
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
