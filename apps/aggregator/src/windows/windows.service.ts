import type { PartitionProgress } from '@cryptostream/persistence';
import type { SizeSymbolState } from '@cryptostream/windowing';
import type { SchemaIdCheck } from '@cryptostream/schema-registry';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { SCHEMA_ID_CHECK } from '../schemas/schema-id-check.provider';
import { AGGREGATOR_CONFIG, AggregatorConfig } from '../config/aggregator.config';
import { BatchDecision, OpenWindowsDecision, PartitionBatch, WindowsDecision } from './batch-decision';
import { BatchOutcome, PartitionWindows } from './partition-windows';

const NOTHING_INGESTED: BatchOutcome = Object.freeze({ rejected: [], late: [], replayed: 0, accepted: 0, duplicates: 0, tooLate: 0 });
import { WINDOW_ENGINE_FACTORY, WindowEngineFactory } from './window-engine.factory';

/**
 * The windows of the partitions this instance owns, one engine each. Takes batches and idle time
 * and returns what should happen ({@link BatchDecision}); it reads no clock and does no I/O: the
 * consumer's `BatchRunner` reads the stored progress, applies decisions and owns the timers.
 */
@Injectable()
export class WindowsService {
  readonly #logger = new Logger(WindowsService.name);
  readonly #partitions = new Map<number, PartitionWindows>();
  /** The offset each partition already sought to in this assignment, so a vanished offset cannot loop seeks. */
  readonly #soughtTo = new Map<number, number>();

  constructor(
    @Inject(AGGREGATOR_CONFIG) private readonly config: AggregatorConfig,
    @Inject(WINDOW_ENGINE_FACTORY) private readonly createEngine: WindowEngineFactory,
    @Optional() @Inject(SCHEMA_ID_CHECK) private readonly schemaIds: SchemaIdCheck | null = null,
  ) {}

  /**
   * A (re)balance: every partition restarts from its stored progress, since the transport resumes
   * from Kafka's committed offsets. Open windows are dropped; whoever owns a partition next
   * rebuilds them.
   */
  assign(topic: string, partitions: readonly number[]): void {
    const revoked = [...this.#partitions.keys()].filter((partition) => !partitions.includes(partition));
    if (revoked.length > 0) this.#logger.log(`partitions ${revoked.join(', ')} revoked: their open windows are dropped`);
    this.#logger.log(`assigned ${topic} partitions [${partitions.join(', ')}]`);
    this.#partitions.clear();
    this.#soughtTo.clear();
  }

  /** True until the partition's engine has started: its next batch needs the stored progress. */
  needsStoredProgress(partition: number): boolean {
    return !this.#partitions.has(partition);
  }

  /**
   * Validates and windows one batch. On the first batch of an assignment, `stored` is the
   * partition's progress in MySQL (null when there is none): unless the batch begins at its
   * resume offset, the decision is to seek there. `storedState` is the window state stored with
   * that progress.
   */
  decide(batch: PartitionBatch, stored?: PartitionProgress | null, storedState: readonly SizeSymbolState[] = []): BatchDecision {
    const windows = this.#partitions.get(batch.partition) ?? this.#start(batch, stored ?? null, storedState);
    if (typeof windows === 'number') return { kind: 'seek', offset: windows };
    const outcome = windows.ingest(batch.records);
    return this.#decision(windows, outcome);
  }

  /**
   * Lets `idleMs` of verified quiet (the consumer fetched, nothing new came) close the windows
   * of a partition; undefined when none closed.
   */
  closeIdle(partition: number, idleMs: number): WindowsDecision | undefined {
    const windows = this.#partitions.get(partition);
    if (!windows) return undefined;
    windows.advanceIdle(idleMs);
    const decision = this.#decision(windows);
    return decision.closed.length > 0 || decision.state !== undefined ? decision : undefined;
  }

  /** The open windows of every partition that took events since the last call. */
  changedOpenWindows(): OpenWindowsDecision {
    const windows = [...this.#partitions.values()].flatMap((partition) => partition.changedOpenWindows());
    return { kind: 'open-windows', windows };
  }

  /**
   * Drops a partition's engine after a batch could not be applied (its dead letters are not out):
   * the retried batch starts again from the stored progress instead of skipping those records.
   */
  forget(partition: number): void {
    this.#partitions.delete(partition);
    this.#soughtTo.delete(partition);
  }

  #decision(windows: PartitionWindows, outcome: BatchOutcome = NOTHING_INGESTED): WindowsDecision {
    const { rejected, late, accepted, duplicates, tooLate } = outcome;
    const closed = windows.takeClosed();
    const state = windows.takeState(this.config.kafkaGroupId);
    const progress = windows.progress(this.config.kafkaGroupId);
    return {
      kind: 'windows', partition: windows.partition, rejected, late, accepted, duplicates, tooLate,
      closedWithoutSource: windows.takeClosedWithoutSource(), closed, progress, ...(state === undefined ? {} : { state }),
    };
  }

  /** The partition's windows, or the offset to seek to first. */
  #start(batch: PartitionBatch, progress: PartitionProgress | null, storedState: readonly SizeSymbolState[]): PartitionWindows | number {
    const { partition } = batch;
    const firstOffset = Number(batch.records[0].offset);
    if (progress && firstOffset !== progress.resumeOffset) {
      if (this.#soughtTo.get(partition) !== progress.resumeOffset) {
        this.#soughtTo.set(partition, progress.resumeOffset);
        return progress.resumeOffset;
      }
      this.#logger.warn(`partition ${partition}: stored offset ${progress.resumeOffset} is gone; starting at ${firstOffset}`);
    }
    const windows = new PartitionWindows(batch.topic, partition, this.createEngine(progress?.watermarkMs ?? null, progress ? storedState : [], progress?.nextOffset), {
      startOffset: firstOffset,
      replayUntilOffset: progress?.nextOffset,
      schemaIds: this.schemaIds,
    });
    this.#partitions.set(partition, windows);
    this.#logger.log(
      `partition ${partition} starts at offset ${firstOffset}` + (progress ? ` (stored watermark ${progress.watermarkMs}, replaying to ${progress.nextOffset})` : ''),
    );
    return windows;
  }
}
