import { isSourceProgressRecord } from '@cryptostream/schema';
import { randomName, testKafka } from '@cryptostream/testing';

export interface ReadMessage {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string;
  readonly headers: Readonly<Record<string, unknown>>;
}

/**
 * Reads a topic from the beginning until `count` messages have arrived (or `timeoutMs` passed,
 * then returns what it has), with a consumer group of its own. Source-progress records are left
 * out (and not counted) unless `withProgress`.
 */
export async function readTopic(topic: string, count: number, timeoutMs = 30_000, withProgress = false): Promise<ReadMessage[]> {
  const consumer = testKafka('ingestor-test-reader').consumer({ groupId: randomName('test_reader'), maxWaitTimeInMs: 200 });
  const messages: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      void consumer.run({
        eachBatch: async ({ batch }) => {
          for (const message of batch.messages) {
            if (!withProgress && isSourceProgressRecord(message.value)) continue;
            messages.push({ partition: batch.partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value?.toString() ?? '', headers: message.headers ?? {} });
          }
          if (messages.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

/** Polls `probe` every `everyMs` until it returns true; fails after `timeoutMs`. */
export async function waitFor(what: string, probe: () => Promise<boolean> | boolean, timeoutMs = 30_000, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
