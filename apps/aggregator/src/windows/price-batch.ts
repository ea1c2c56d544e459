import type { PartitionProgress } from '@cryptostream/persistence';
import type { PartitionRecord, RejectedRecord } from './partition-windows';

/** Event patterns the Kafka transport dispatches to the aggregator's handlers. */
export const PRICE_BATCH = 'prices.batch';
export const PARTITIONS_ASSIGNED = 'prices.partitions-assigned';

/** One fetched batch of one partition, with what the windows may ask the transport to do. */
export interface PriceBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly PartitionRecord[];
  /** Records left behind the partition's high watermark after this batch. */
  lag(): number;
  /** True once the transport has discarded the batch (a seek or a rebalance came first). */
  isStale(): boolean;
  /** Read the partition again from `offset`; the rest of this batch is dropped. */
  seek(offset: number): void;
  /** Stop fetching the partition for a while; the same records come again afterwards. */
  pauseFor(ms: number): void;
  /** Marks records up to `offset` as processed, so the next fetch starts after it. */
  resolve(offset: string): void;
  heartbeat(): Promise<void>;
  /** Publishes rejected records with their reasons and origin; resolves when the broker has them. */
  deadLetter(rejected: readonly RejectedRecord[]): Promise<void>;
}

/** Partition-wide controls, handed over with each assignment. */
export interface PartitionControl {
  pauseAll(): void;
  resumeAll(): void;
  /** Wall time (epoch ms) of the consumer's last successful fetch, empty or not. */
  lastFetchAtMs(): number;
  /** Commits offsets to Kafka (for lag monitoring; the truth is in MySQL). */
  commitOffsets(progress: readonly PartitionProgress[]): Promise<void>;
}

/** The partitions this instance owns after a (re)balance. */
export interface PartitionAssignment {
  readonly topic: string;
  readonly partitions: readonly number[];
  readonly control: PartitionControl;
}
