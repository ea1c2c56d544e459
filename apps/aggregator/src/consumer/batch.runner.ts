import { MysqlWindowRepository, WindowRepository, PartitionProgress } from '@cryptostream/persistence';
import type { SizeSymbolState } from '@cryptostream/windowing';
import { backoffDelayMs } from '@cryptostream/service-runtime';
import type { SchemaIdCheck } from '@cryptostream/schema-registry';
import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { SCHEMA_ID_CHECK } from '../schemas/schema-id-check.provider';
import { AGGREGATOR_CONFIG, AggregatorConfig } from '../config/aggregator.config';
import { AggregatorMetrics } from '../metrics/aggregator.metrics';
import { WindowFlusher } from '../persistence/window-flusher.service';
import { WindowUpdates, WINDOW_UPDATES } from '../updates/window-updates';
import { WindowsDecision } from '../windows/batch-decision';
import type { LateRecord } from '../windows/partition-windows';
import { WindowsService } from '../windows/windows.service';
import { Backpressure } from './backpressure';
import { BatchAcknowledgement, FetchedBatch, PartitionAssignment } from './batch-transport';
import { CLOCK, Clock } from './clock.provider';
import { ConsumerReadiness } from './consumer-readiness';
import { DEAD_LETTERS, DeadLetters } from './dead-letters';
import { IdleClock } from './idle-clock';
import { OffsetMirror } from './offset-mirror';

const LATE_LOG_LIMIT = 5;

/**
 * The aggregator's batch path, in one direction: each fetched batch goes to the
 * {@link WindowsService}, which returns a decision; this runner applies it through the providers
 * it is given, never through the transport: a seek goes back as the batch's acknowledgement;
 * otherwise dead letters ({@link DeadLetters}), then closed windows and progress to the
 * {@link WindowFlusher} (MySQL), then, once MySQL has them, the progress to Kafka's committed
 * offsets ({@link OffsetMirror}); {@link Backpressure} pauses reading while MySQL lags. The wall
 * clock closes idle partitions through the same path. Readers get the windows too: on a timer,
 * the open windows that changed; once MySQL has committed them, the closed ones
 * ({@link WindowUpdates}).
 */
@Injectable()
export class BatchRunner implements OnModuleInit, OnModuleDestroy {
  readonly #logger = new Logger(BatchRunner.name);
  readonly #idle: IdleClock;
  #stored: Promise<Map<number, PartitionProgress>> | undefined;
  #storedFailures = 0;
  /** Its own count: a partition held for the registry reads its stored progress each retry, which resets the other. */
  #lookUpFailures = 0;
  #idleTimer: NodeJS.Timeout | undefined;
  #updateTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(AGGREGATOR_CONFIG) private readonly config: AggregatorConfig,
    private readonly windows: WindowsService,
    @Inject(MysqlWindowRepository) private readonly repository: WindowRepository,
    private readonly flusher: WindowFlusher,
    private readonly metrics: AggregatorMetrics,
    @Inject(DEAD_LETTERS) private readonly deadLetters: DeadLetters,
    @Inject(OffsetMirror) private readonly offsets: Pick<OffsetMirror, 'assign' | 'mirror'>,
    @Inject(Backpressure) private readonly backpressure: Pick<Backpressure, 'check' | 'readingSinceMs'>,
    @Inject(ConsumerReadiness) private readonly fetches: Pick<ConsumerReadiness, 'lastFetchAtMs'>,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WINDOW_UPDATES) private readonly updates: WindowUpdates,
    @Optional() @Inject(SCHEMA_ID_CHECK) private readonly schemaIds: SchemaIdCheck | null = null,
  ) {
    this.#idle = new IdleClock(clock());
  }

  onModuleInit(): void {
    this.#idleTimer = setInterval(() => this.closeIdleWindows(), this.config.idleCloseIntervalMs);
    this.#idleTimer.unref();
    this.#updateTimer = setInterval(() => this.publishOpenWindows(), this.config.windowUpdateIntervalMs);
    this.#updateTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.#idleTimer);
    clearInterval(this.#updateTimer);
  }

  /** A (re)balance: every partition restarts from its stored progress. */
  assign({ topic, partitions }: PartitionAssignment): void {
    this.windows.assign(topic, partitions);
    this.#idle.reset(partitions);
    this.offsets.assign(topic, partitions);
    this.#stored = undefined;
  }

  /** One batch from Kafka to the flusher; a seek goes back to the transport. */
  async run(fetched: FetchedBatch): Promise<BatchAcknowledgement> {
    const { batch } = fetched;
    if (fetched.isStale() || batch.messages.length === 0) return;
    const { topic, partition, messages: records } = batch;
    let stored: PartitionProgress | null | undefined;
    let storedState: SizeSymbolState[] | undefined;
    if (this.windows.needsStoredProgress(partition)) {
      const progress = await this.#storedProgress(fetched);
      if (!progress || fetched.isStale()) return;
      stored = progress.get(partition) ?? null;
      if (stored) {
        storedState = await this.#storedState(fetched);
        if (!storedState || fetched.isStale()) return;
      }
    }
    if (this.schemaIds?.needsLookUp(records)) {
      try {
        await this.schemaIds.lookUp(records);
        this.#lookUpFailures = 0;
      } catch (error) {
        // The registry does not answer: nothing is refused for that; the batch is read again later.
        this.#pauseAfter(fetched, 'schema ids from the registry', error as Error, ++this.#lookUpFailures);
        return;
      }
      if (fetched.isStale()) return;
    }
    this.#idle.batchStarted(partition);
    const decision = this.windows.decide({ topic, partition, records }, stored, storedState);
    if (decision.kind === 'seek') return { seekTo: decision.offset };
    this.metrics.consumed.inc({ partition: String(partition) }, records.length);
    try {
      await this.#deadLetter(topic, decision);
    } catch (error) {
      // The engine has taken records whose dead letters are not out: forget the partition, so
      // that the retried batch starts again from the stored progress instead of skipping them.
      this.windows.forget(partition);
      this.#logger.warn(`partition ${partition}: batch failed (${(error as Error).message}); restarting it from stored progress`);
      throw error;
    }
    this.#reportLate(topic, partition, decision.late);
    fetched.resolveOffset(records[records.length - 1].offset);
    const lag = Number(batch.offsetLag());
    this.metrics.lag.set({ partition: String(partition) }, lag);
    this.#store(decision);
    this.#idle.batchDone(partition, lag === 0, this.clock());
    this.backpressure.check();
    await fetched.heartbeat();
  }

  /**
   * Closes the windows of partitions that have read everything and stayed quiet while the
   * consumer kept fetching (see {@link IdleClock}).
   */
  closeIdleWindows(): void {
    for (const [partition, idleMs] of this.#idle.tick(this.clock(), this.fetches.lastFetchAtMs, this.backpressure.readingSinceMs)) {
      const decision = this.windows.closeIdle(partition, idleMs);
      if (decision) this.#store(decision);
    }
  }

  /** The open windows that changed since the last call, to readers: once per interval, not per record. */
  publishOpenWindows(): void {
    const { windows } = this.windows.changedOpenWindows();
    if (windows.length > 0) this.updates.open(windows);
  }

  /** Rejected records to the dead-letter topic: they must be there before progress passes them. */
  async #deadLetter(topic: string, { partition, rejected }: WindowsDecision): Promise<void> {
    if (rejected.length === 0) return;
    this.metrics.invalid.inc(rejected.length);
    await this.deadLetters.publish(topic, partition, rejected);
  }

  /** Closed windows, progress and window state to MySQL; once committed, the progress to Kafka and the windows to readers. */
  #store({ closed, progress, state, duplicates, tooLate, closedWithoutSource }: WindowsDecision): void {
    if (duplicates > 0) this.metrics.duplicates.inc(duplicates);
    if (tooLate > 0) this.metrics.tooLate.inc(tooLate);
    if (closedWithoutSource > 0) {
      this.metrics.closedWithoutSource.inc(closedWithoutSource);
      this.#logger.warn(`partition ${progress.partition}: ${closedWithoutSource} window(s) closed on the wall clock: their source sent no progress for ${this.config.sourceProgressTimeoutMs} ms`);
    }
    const corrections = closed.reduce((count, window) => count + (window.revision > 0 ? 1 : 0), 0);
    if (corrections > 0) this.metrics.corrections.inc(corrections);
    void this.flusher.enqueue(closed, progress, state).then(() => {
      this.offsets.mirror(progress);
      this.updates.closed(closed);
    });
  }

  /** The stored progress of the assignment's partitions (one read for all), or undefined after pausing the partition. */
  async #storedProgress(fetched: FetchedBatch): Promise<Map<number, PartitionProgress> | undefined> {
    try {
      this.#stored ??= this.repository.readProgress(this.config.kafkaGroupId, fetched.batch.topic);
      const stored = await this.#stored;
      this.#storedFailures = 0;
      return stored;
    } catch (error) {
      this.#stored = undefined;
      this.#pauseAfter(fetched, 'stored progress', error as Error, ++this.#storedFailures);
      return undefined;
    }
  }

  /**
   * The window state stored with a partition's progress (its larger windows still open, the
   * carried closes), or undefined after pausing the partition when MySQL does not answer.
   */
  async #storedState(fetched: FetchedBatch): Promise<SizeSymbolState[] | undefined> {
    const { topic, partition } = fetched.batch;
    try {
      return await this.repository.readWindowState(this.config.kafkaGroupId, topic, partition);
    } catch (error) {
      this.#pauseAfter(fetched, 'stored window state', error as Error, ++this.#storedFailures);
      return undefined;
    }
  }

  /** MySQL or the registry did not answer a read the partition needs: fetch it again after a backoff that grows with `attempt`. */
  #pauseAfter(fetched: FetchedBatch, what: string, error: Error, attempt: number): void {
    const delay = backoffDelayMs(attempt);
    this.#logger.warn(`cannot read ${what} (${error.message}); partition ${fetched.batch.partition} retries in ${delay} ms`);
    const resume = fetched.pause();
    setTimeout(resume, delay).unref();
  }

  #reportLate(topic: string, partition: number, late: readonly LateRecord[]): void {
    if (late.length === 0) return;
    this.metrics.late.inc(late.length);
    for (const event of late.slice(0, LATE_LOG_LIMIT)) {
      this.#logger.warn(`late event ${topic}/${partition}@${event.offset} ${event.symbol}: ${event.reason}`);
    }
    if (late.length > LATE_LOG_LIMIT) this.#logger.warn(`… and ${late.length - LATE_LOG_LIMIT} more late events in this batch`);
  }
}
