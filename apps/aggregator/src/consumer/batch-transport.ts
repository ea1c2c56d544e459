import type { PartitionRecord } from '../windows/partition-windows';

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

/**
 * What the handler of a {@link PRICE_BATCH} hands back to the transport: nothing when it took the
 * batch (it resolved the offsets it processed), or `seekTo` when the partition must be read again
 * from that offset; the rest of the batch is dropped.
 */
export type BatchAcknowledgement = { readonly seekTo: number } | undefined;

/** The partitions this instance owns after a (re)balance. */
export interface PartitionAssignment {
  readonly topic: string;
  readonly partitions: readonly number[];
}
