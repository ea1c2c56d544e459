import type { PartitionProgress } from '@cryptostream/persistence';
import type { PartitionRecord, RejectedRecord } from '../windows/partition-windows';

/** Event patterns the Kafka transport dispatches to the aggregator's handlers. */
export const PRICE_BATCH = 'prices.batch';
export const PARTITIONS_ASSIGNED = 'prices.partitions-assigned';

/**
 * One fetched batch as kafkajs hands it to `eachBatch` (the subset the runner uses), passed on
 * as it is: no wrapper per batch.
 */
export interface FetchedBatch {
  readonly batch: {
    readonly topic: string;
    readonly partition: number;
    readonly messages: readonly PartitionRecord[];
    /** Records left behind the partition's high watermark after this batch. */
    offsetLag(): string;
  };
  /** True once the batch is void (a seek or a rebalance came first). */
  isStale(): boolean;
  /** Marks records up to `offset` as processed, so the next fetch starts after it. */
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  /** Stops fetching the partition until the returned function is called. */
  pause(): () => void;
}

/** The partitions this instance owns after a (re)balance. */
export interface PartitionAssignment {
  readonly topic: string;
  readonly partitions: readonly number[];
}

/** What the runner may do to the consumer and the dead-letter topic. */
export interface ConsumerControl {
  /** Wall time (epoch ms) of the consumer's last successful fetch, empty or not. */
  readonly lastFetchAtMs: number;
  /** Reads the partition again from `offset`; the rest of the current batch is dropped. */
  seek(topic: string, partition: number, offset: number): void;
  pauseAll(): void;
  resumeAll(): void;
  /** Publishes rejected records with their reasons and origin; resolves when every replica has them. */
  publishDeadLetters(topic: string, partition: number, rejected: readonly RejectedRecord[]): Promise<void>;
  /** Commits offsets to Kafka (for lag monitoring; the truth is in MySQL). */
  commitOffsets(progress: readonly PartitionProgress[]): Promise<void>;
}

export const CONSUMER_CONTROL = Symbol('CONSUMER_CONTROL');
