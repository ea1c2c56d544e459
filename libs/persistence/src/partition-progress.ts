/**
 * Where a consumer group stands in one partition: enough to rebuild the open windows after a
 * crash and to recognise the events of windows already written.
 */
export interface PartitionProgress {
  readonly consumerGroup: string;
  readonly topic: string;
  readonly partition: number;
  /** Where to start reading again: first offset of the oldest open window, else `nextOffset`. */
  readonly resumeOffset: number;
  /** The offset after the last message taken into account. */
  readonly nextOffset: number;
  /** Windows ending at or before it are written; null before the first event. */
  readonly watermarkMs: number | null;
}
