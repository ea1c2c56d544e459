import { MysqlWindowRepository, PartitionProgress } from '@cryptostream/persistence';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AGGREGATOR_CONFIG, AggregatorConfig } from '../config/aggregator.config';
import { AggregatorMetrics } from '../metrics/aggregator.metrics';
import { backoffMs } from '../persistence/backoff';
import { WindowFlusher } from '../persistence/window-flusher.service';
import { PartitionWindows } from './partition-windows';
import { PartitionAssignment, PartitionControl, PriceBatch } from './price-batch';
import { WINDOW_ENGINE_FACTORY, WindowEngineFactory } from './window-engine.factory';

interface PartitionState {
  windows?: PartitionWindows;
  /** The offset this assignment already sought to, so a vanished offset cannot loop seeks. */
  soughtTo?: number;
  caughtUp: boolean;
  busy: boolean;
  /** Wall time the partition has been verifiably idle since its last batch. */
  idleMs: number;
  lastBatchAtMs: number;
}

const LATE_LOG_LIMIT = 5;
/** A consumer whose last fetch is older than this is not reading: its partitions are not idle. */
const FETCH_FRESH_MS = 1_000;

/**
 * Runs one window engine per assigned partition: feeds it the partition's batches, hands the
 * closed windows and the partition's progress to the {@link WindowFlusher}, advances idle
 * partitions on the wall clock, and pauses reading while MySQL is behind.
 */
@Injectable()
export class WindowsService implements OnModuleDestroy {
  readonly #logger = new Logger(WindowsService.name);
  readonly #partitions = new Map<number, PartitionState>();
  #stored: Promise<Map<number, PartitionProgress>> | undefined;
  #control: PartitionControl | undefined;
  #backpressure = false;
  #idleTimer: NodeJS.Timeout;
  #initFailures = 0;
  #lastIdleTickMs = Date.now();
  #resumedAtMs = 0;

  constructor(
    @Inject(AGGREGATOR_CONFIG) private readonly config: AggregatorConfig,
    @Inject(WINDOW_ENGINE_FACTORY) private readonly createEngine: WindowEngineFactory,
    private readonly repository: MysqlWindowRepository,
    private readonly flusher: WindowFlusher,
    private readonly metrics: AggregatorMetrics,
  ) {
    this.#idleTimer = setInterval(() => this.advanceIdlePartitions(Date.now()), config.idleCloseIntervalMs);
    this.#idleTimer.unref();
    flusher.onCommitted((progress) => this.#commitKafkaOffsets(progress));
  }

  /**
   * A (re)balance: every partition restarts from its stored progress, since the transport
   * resumes from Kafka's committed offsets. Revoked partitions' open windows are dropped; their
   * new owner rebuilds them.
   */
  onAssigned(assignment: PartitionAssignment): void {
    const revoked = [...this.#partitions.keys()].filter((partition) => !assignment.partitions.includes(partition));
    if (revoked.length > 0) this.#logger.log(`partitions ${revoked.join(', ')} revoked: their open windows are dropped`);
    this.#logger.log(`assigned ${assignment.topic} partitions [${assignment.partitions.join(', ')}]`);
    this.#partitions.clear();
    for (const partition of assignment.partitions) this.#partitions.set(partition, { caughtUp: false, busy: false, idleMs: 0, lastBatchAtMs: 0 });
    this.#control = assignment.control;
    this.#stored = undefined;
  }

  /** Processes one batch: validate, window, dead-letter, queue closed windows with progress. */
  async process(batch: PriceBatch): Promise<void> {
    const state = this.#stateOf(batch.partition);
    if (batch.isStale() || batch.records.length === 0) return;
    const windows = state.windows ?? (await this.#start(batch, state));
    if (!windows) return;
    state.busy = true;
    try {
      const outcome = windows.ingest(batch.records);
      state.idleMs = 0;
      state.lastBatchAtMs = Date.now();
      this.metrics.consumed.inc({ partition: String(batch.partition) }, batch.records.length);
      if (outcome.rejected.length > 0) {
        this.metrics.invalid.inc(outcome.rejected.length);
        await batch.deadLetter(outcome.rejected);
      }
      this.#reportLate(batch, outcome.late);
      batch.resolve(batch.records[batch.records.length - 1].offset);
      const lag = batch.lag();
      this.metrics.lag.set({ partition: String(batch.partition) }, lag);
      state.caughtUp = lag === 0;
      this.flusher.enqueue(windows.takeClosed(), windows.progress(this.config.kafkaGroupId));
    } catch (error) {
      // The engine has taken records whose dead letters may not be out: forget the partition, so
      // that the retried batch starts again from the stored progress instead of skipping them.
      this.#partitions.set(batch.partition, { caughtUp: false, busy: false, idleMs: 0, lastBatchAtMs: 0 });
      this.#logger.warn(`partition ${batch.partition}: batch failed (${(error as Error).message}); restarting it from stored progress`);
      throw error;
    } finally {
      state.busy = false;
    }
    this.#applyBackpressure();
    await batch.heartbeat();
  }

  /**
   * Closes the windows of partitions that have read everything and stayed quiet. Only time during
   * which the consumer was fetching and not paused counts as quiet: while the broker is away or
   * MySQL holds reading back, records may be waiting, and closing their windows would drop them.
   */
  advanceIdlePartitions(wallNowMs: number): void {
    const previousTickMs = this.#lastIdleTickMs;
    this.#lastIdleTickMs = wallNowMs;
    const lastFetchAtMs = this.#control?.lastFetchAtMs() ?? 0;
    const fetching = lastFetchAtMs > this.#resumedAtMs && wallNowMs - lastFetchAtMs < FETCH_FRESH_MS;
    if (!fetching || this.#backpressure) return;
    for (const state of this.#partitions.values()) {
      const windows = state.windows;
      if (!windows || !state.caughtUp || state.busy) continue;
      state.idleMs += Math.max(0, wallNowMs - Math.max(previousTickMs, state.lastBatchAtMs));
      windows.advanceIdle(state.idleMs);
      const closed = windows.takeClosed();
      if (closed.length > 0) this.flusher.enqueue(closed, windows.progress(this.config.kafkaGroupId));
    }
  }

  onModuleDestroy(): void {
    clearInterval(this.#idleTimer);
  }

  #stateOf(partition: number): PartitionState {
    let state = this.#partitions.get(partition);
    if (!state) {
      state = { caughtUp: false, busy: false, idleMs: 0, lastBatchAtMs: 0 };
      this.#partitions.set(partition, state);
    }
    return state;
  }

  /** First batch of an assignment: seek to the stored resume offset, or start the engine. */
  async #start(batch: PriceBatch, state: PartitionState): Promise<PartitionWindows | undefined> {
    let stored: Map<number, PartitionProgress>;
    try {
      this.#stored ??= this.repository.readProgress(this.config.kafkaGroupId, batch.topic);
      stored = await this.#stored;
      this.#initFailures = 0;
    } catch (error) {
      this.#stored = undefined;
      const delay = backoffMs(++this.#initFailures);
      this.#logger.warn(`cannot read stored progress (${(error as Error).message}); partition ${batch.partition} retries in ${delay} ms`);
      batch.pauseFor(delay);
      return undefined;
    }
    if (batch.isStale()) return undefined;
    const progress = stored.get(batch.partition);
    const firstOffset = Number(batch.records[0].offset);
    if (progress && firstOffset !== progress.resumeOffset && state.soughtTo !== progress.resumeOffset) {
      state.soughtTo = progress.resumeOffset;
      batch.seek(progress.resumeOffset);
      return undefined;
    }
    if (progress && firstOffset !== progress.resumeOffset) {
      this.#logger.warn(`partition ${batch.partition}: stored offset ${progress.resumeOffset} is gone; starting at ${firstOffset}`);
    }
    state.windows = new PartitionWindows(batch.topic, batch.partition, this.createEngine(progress?.watermarkMs ?? null), {
      startOffset: firstOffset,
      replayUntilOffset: progress?.nextOffset,
    });
    this.#logger.log(
      `partition ${batch.partition} starts at offset ${firstOffset}` +
        (progress ? ` (stored watermark ${progress.watermarkMs}, replaying to ${progress.nextOffset})` : ''),
    );
    return state.windows;
  }

  #reportLate(batch: PriceBatch, late: readonly { offset: string; symbol: string; reason: string }[]): void {
    if (late.length === 0) return;
    this.metrics.late.inc(late.length);
    for (const event of late.slice(0, LATE_LOG_LIMIT)) {
      this.#logger.warn(`late event ${batch.topic}/${batch.partition}@${event.offset} ${event.symbol}: ${event.reason}`);
    }
    if (late.length > LATE_LOG_LIMIT) this.#logger.warn(`… and ${late.length - LATE_LOG_LIMIT} more late events in this batch`);
  }

  /** Stops reading while too many closed windows wait for MySQL; resumes when half are written. */
  #applyBackpressure(): void {
    if (this.#backpressure || !this.flusher.isFull || !this.#control) return;
    this.#backpressure = true;
    this.#logger.warn(`${this.flusher.pendingWindows} windows wait for MySQL: pausing all partitions`);
    this.#control.pauseAll();
    // The pause outlives rebalances (it is per topic), so whichever control is current resumes.
    void this.flusher.whenRoomAgain().then(() => {
      this.#backpressure = false;
      // Records may have arrived while paused: nothing is idle until a fetch after this one.
      this.#resumedAtMs = Date.now();
      this.#logger.log('MySQL caught up: resuming partitions');
      this.#control?.resumeAll();
    });
  }

  #commitKafkaOffsets(progress: readonly PartitionProgress[]): void {
    const owned = progress.filter((p) => p.topic === this.config.kafkaTopic && this.#partitions.has(p.partition));
    if (owned.length === 0 || !this.#control) return;
    this.#control.commitOffsets(owned).catch((error: Error) => this.#logger.debug(`Kafka offset commit failed: ${error.message}`));
  }
}
