import type { PartitionProgress, PartitionWindowState } from '@cryptostream/persistence';
import type { WindowFigures } from '@cryptostream/windowing';
import type { LateRecord, PartitionRecord, RejectedRecord } from './partition-windows';

/** One fetched batch of one partition, as the windows see it. */
export interface PartitionBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly PartitionRecord[];
}

/**
 * The partition must be read again from `offset` (its stored resume offset, on the first batch
 * after an assignment); nothing of the batch was taken.
 */
export interface SeekDecision {
  readonly kind: 'seek';
  readonly offset: number;
}

/**
 * What the windows took from a batch, or from the wall clock on a quiet partition, and what must
 * now happen, in this order: `rejected` to the dead-letter topic; then `closed` with `progress`
 * to MySQL in one transaction; then `progress` to Kafka's committed offsets.
 */
export interface WindowsDecision {
  readonly kind: 'windows';
  readonly partition: number;
  /** Invalid records, with their reasons: published before any progress that passes them. */
  readonly rejected: readonly RejectedRecord[];
  /** Events whose window had already closed (replays of written windows are not among them). */
  readonly late: readonly LateRecord[];
  /** Records taken into a window. */
  readonly accepted: number;
  /** Trades whose id their window had counted already: dropped. */
  readonly duplicates: number;
  /** Of `rejected`, the trades too late to correct their window (beyond ALLOWED_LATENESS_MS). */
  readonly tooLate: number;
  /** Windows closed on the wall clock because their symbol's source progress stopped. */
  readonly closedWithoutSource: number;
  readonly closed: readonly WindowFigures[];
  readonly progress: PartitionProgress;
  /** Window state of that progress (larger windows still open, carried closes), if it changed. */
  readonly state?: PartitionWindowState;
}

export type BatchDecision = SeekDecision | WindowsDecision;

/**
 * Open windows that changed since the last look, to publish as live updates (`closed: false`);
 * asked for on a timer, so the cost does not grow with the number of records.
 */
export interface OpenWindowsDecision {
  readonly kind: 'open-windows';
  readonly windows: readonly WindowFigures[];
}
