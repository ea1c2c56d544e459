import { Logger } from '@nestjs/common';
import type { PriceSource } from '@cryptostream/schema';
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';

export interface LastPublishedOptions {
  readonly topic: string;
  readonly symbols: readonly string[];
  /** Only messages of these sources count (trade ids and aggregate ids are different series). */
  readonly sources: readonly PriceSource[];
  /** How many of the newest messages of each partition to look at. */
  readonly lookback?: number;
  readonly timeoutMs?: number;
}

/**
 * Finds the last trade id published per symbol by reading the newest messages of each partition
 * of the topic, so that a restarted ingestor resumes where the previous one stopped and recovers
 * the trades of its downtime from REST. Symbols not found (or a broker that does not answer in
 * time) are simply left out: they start from the live stream.
 */
/** The newest trade an earlier run published for a symbol. */
export interface LastPublished {
  readonly tradeId: number;
  readonly eventTimeMs: number;
}

export async function readLastPublishedIds(kafka: Kafka, options: LastPublishedOptions): Promise<Map<string, LastPublished>> {
  const { topic, lookback = 2000, timeoutMs = 10_000 } = options;
  const logger = new Logger('LastPublishedIds');
  const wanted = new Set(options.symbols);
  const sources = new Set<string>(options.sources);
  const lastIds = new Map<string, LastPublished>();
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `cryptostream-ingestor-resume-${randomUUID()}`;
  try {
    const offsets = (await admin.fetchTopicOffsets(topic)).filter((partition) => Number(partition.high) > Number(partition.low));
    if (offsets.length === 0) return lastIds;
    const remaining = new Map(offsets.map((partition) => [partition.partition, Number(partition.high) - 1]));
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          logger.warn(`gave up reading the newest messages of ${topic} after ${timeoutMs} ms`);
          resolve();
        }, timeoutMs);
        void consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            for (const message of batch.messages) {
              const value = parse(message.value?.toString());
              if (value && wanted.has(value.symbol) && sources.has(value.source) && value.tradeId > (lastIds.get(value.symbol)?.tradeId ?? -1)) {
                lastIds.set(value.symbol, { tradeId: value.tradeId, eventTimeMs: value.eventTimeMs });
              }
              if (Number(message.offset) >= (remaining.get(batch.partition) ?? Infinity)) remaining.delete(batch.partition);
            }
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
        for (const partition of offsets) {
          consumer.seek({ topic, partition: partition.partition, offset: String(Math.max(Number(partition.low), Number(partition.high) - lookback)) });
        }
      });
    } finally {
      await consumer.disconnect();
    }
    await admin.deleteGroups([groupId]).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
  return lastIds;
}

function parse(text: string | undefined): { symbol: string; tradeId: number; eventTimeMs: number; source: string } | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    return typeof value['symbol'] === 'string' && Number.isSafeInteger(value['tradeId']) && typeof value['source'] === 'string' && Number.isSafeInteger(value['eventTimeMs'])
      ? { symbol: value['symbol'], tradeId: value['tradeId'] as number, eventTimeMs: value['eventTimeMs'] as number, source: value['source'] }
      : undefined;
  } catch {
    return undefined;
  }
}

