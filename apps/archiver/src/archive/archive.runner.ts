import { LakeArchive, LakeManifest, StageBuffers } from '@cryptostream/lake';
import { isSourceProgressRecord, RecordKind } from '@cryptostream/schema';
import { ConsumedSchemaIds, SchemaIdCheck } from '@cryptostream/schema-registry';
import { backoffDelayMs } from '@cryptostream/service-runtime';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ARCHIVER_CONFIG, ArchiverConfig } from '../config/archiver.config';
import { ArchiverMetrics } from '../metrics/archiver.metrics';
import { PartitionBuffer } from './partition-buffer';
import { RowsOf, topicRows } from './topic-rows';

/** One fetched batch as kafkajs hands it to `eachBatch` (the subset used). */
export interface FetchedBatch {
  readonly batch: {
    readonly topic: string;
    readonly partition: number;
    readonly messages: readonly { readonly offset: string; readonly value: Buffer | null; readonly headers?: Readonly<Record<string, unknown>> }[];
    offsetLag(): string;
  };
  isStale(): boolean;
  /** Stops fetching the partition; the returned function resumes it (from the last resolved offset). */
  pause(): () => void;
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
}

/** What the runner may ask of the consumer. */
export interface ArchiveConsumerControl {
  seek(topic: string, partition: number, offset: number): void;
  /** Mirrors committed progress to Kafka (for lag monitoring; the truth is in MySQL). */
  commitOffsets(topic: string, partition: number, offset: number): Promise<void>;
}

/**
 * The archiver's path, in one direction: fetched records become rows in a buffer per topic
 * partition; a buffer is committed to the lake (files and progress in one transaction) once it
 * holds LAKE_ROLL_ROWS rows or its oldest record has waited LAKE_ROLL_MS. Every partition starts
 * from the progress stored in MySQL, so a crash re-reads exactly what no committed file holds.
 * Batches and commits run one at a time. With a schema registry, a trade or window update whose
 * schema id the archiver cannot read is skipped, counted with reason `schema-id` and logged once
 * per id; while the registry does not answer, the partition waits.
 */
@Injectable()
export class ArchiveRunner {
  readonly #logger = new Logger(ArchiveRunner.name);
  readonly #rowsOf: Map<string, RowsOf>;
  readonly #buffers = new Map<string, PartitionBuffer>();
  /** The staged text's Buffers, passed from each committed stage to the next of any partition. */
  readonly #stageBuffers = new StageBuffers();
  /** Partitions already sent back to their stored progress since the last assignment. */
  readonly #sought = new Set<string>();
  #queue: Promise<unknown> = Promise.resolve();
  #failures = 0;
  #retryAtMs = 0;
  #lookUpFailures = 0;
  #problem: string | undefined;

  constructor(
    @Inject(ARCHIVER_CONFIG) private readonly config: ArchiverConfig,
    private readonly archive: LakeArchive,
    private readonly manifest: LakeManifest,
    private readonly metrics: ArchiverMetrics,
    private readonly schemaIds: ConsumedSchemaIds,
  ) {
    this.#rowsOf = topicRows(config);
  }

  /** The topics read. */
  get topics(): string[] {
    return [...this.#rowsOf.keys()];
  }

  /** Why the last commit failed, or undefined when it did not. */
  get problem(): string | undefined {
    return this.#problem;
  }

  /** A (re)balance: uncommitted rows are dropped; every partition restarts from its stored progress. */
  assign(): Promise<void> {
    return this.#serial(async () => {
      this.#buffers.clear();
      this.#sought.clear();
      this.#updateBuffered();
    });
  }

  /** One fetched batch into its partition's buffer; commits it when it has rolled over by rows. */
  run(fetched: FetchedBatch, control: ArchiveConsumerControl): Promise<void> {
    return this.#serial(async () => {
      const { topic, partition, messages } = fetched.batch;
      if (fetched.isStale() || messages.length === 0) return;
      const key = `${topic}/${partition}`;
      let buffer = this.#buffers.get(key);
      if (buffer === undefined) {
        const stored = (await this.manifest.readProgress(this.config.kafkaGroupId, topic)).get(partition) ?? 0;
        const first = Number(messages[0].offset);
        if (first > stored && !this.#sought.has(key)) {
          // Kafka's committed offset is ahead of the lake's progress (a lost commit, a new database).
          this.#sought.add(key);
          control.seek(topic, partition, stored);
          return;
        }
        buffer = new PartitionBuffer(topic, partition, stored, this.#stageBuffers);
        if (first > stored) {
          this.#logger.warn(`${key}: offsets ${stored}–${first - 1} are no longer in Kafka (retention); the lake goes on from ${first}`);
          buffer.nextOffset = first;
        }
        this.#buffers.set(key, buffer);
      }
      const check = this.schemaIds.of(topic);
      if (check?.needsLookUp(messages)) {
        try {
          await check.lookUp(messages);
          this.#lookUpFailures = 0;
        } catch (error) {
          // The registry does not answer: nothing is skipped for that; the batch is read again later.
          const delayMs = backoffDelayMs(++this.#lookUpFailures, { baseMs: 500, maxMs: 10_000 });
          this.#logger.warn(`cannot look up schema ids (${(error as Error).message}); ${key} retries in ${delayMs} ms`);
          setTimeout(fetched.pause(), delayMs).unref();
          return;
        }
        if (fetched.isStale()) return;
      }
      this.#take(buffer, messages, check);
      fetched.resolveOffset(messages[messages.length - 1].offset);
      this.metrics.lag.set({ topic, partition: String(partition) }, Number(fetched.batch.offsetLag()));
      if (buffer.stage.rows >= this.config.rollRows) await this.#commitOrThrow(buffer, control);
      this.#updateBuffered();
      await fetched.heartbeat();
    });
  }

  /** Commits the buffers whose oldest record has waited LAKE_ROLL_MS (called on a timer). */
  rollByTime(control: ArchiveConsumerControl, nowMs = Date.now()): Promise<void> {
    return this.#serial(async () => {
      if (nowMs < this.#retryAtMs) return;
      for (const buffer of this.#buffers.values()) {
        if (buffer.pending && buffer.since !== undefined && nowMs - buffer.since >= this.config.rollMs) {
          await this.#commitOrThrow(buffer, control).catch(() => undefined);
        }
      }
      this.#updateBuffered();
    });
  }

  /** Commits every buffer (graceful shutdown, after the consumer stopped). */
  commitAll(control: ArchiveConsumerControl): Promise<void> {
    return this.#serial(async () => {
      for (const buffer of this.#buffers.values()) if (buffer.pending) await this.#commitOrThrow(buffer, control);
      this.#updateBuffered();
    });
  }

  #take(buffer: PartitionBuffer, messages: FetchedBatch['batch']['messages'], check: SchemaIdCheck | undefined): void {
    const rowsOf = this.#rowsOf.get(buffer.topic)!;
    for (const message of messages) {
      const offset = Number(message.offset);
      if (offset < buffer.nextOffset) continue;
      const refused = check?.reasonToRefuse(message, this.#kindOf(buffer.topic, message.value));
      if (refused !== undefined) {
        this.metrics.skipped.inc({ topic: buffer.topic, reason: 'schema-id' });
        if (check!.isNewRefusal(refused)) this.#logger.warn(`skipping ${buffer.topic}/${buffer.partition}@${message.offset} (and the next with the same id): ${refused}`);
        buffer.nextOffset = offset + 1;
        continue;
      }
      const outcome = rowsOf(buffer.partition, message);
      if ('skipped' in outcome) this.metrics.skipped.inc({ topic: buffer.topic, reason: outcome.skipped });
      else buffer.stage.add(outcome);
      buffer.nextOffset = offset + 1;
    }
    buffer.since ??= Date.now();
    this.metrics.consumed.inc({ topic: buffer.topic }, messages.length);
  }

  /** The record kind a checked topic's record claims to be: window updates, else trades or source-progress records. */
  #kindOf(topic: string, value: Buffer | null): RecordKind {
    if (topic === this.config.windowUpdatesTopic) return 'window-update';
    return isSourceProgressRecord(value) ? 'source-progress' : 'trade';
  }

  async #commitOrThrow(buffer: PartitionBuffer, control: ArchiveConsumerControl): Promise<void> {
    const step = { consumerGroup: this.config.kafkaGroupId, topic: buffer.topic, partition: buffer.partition, fromOffset: buffer.fromOffset, nextOffset: buffer.nextOffset };
    const timer = this.metrics.commitSeconds.startTimer();
    try {
      const { committed, files } = await this.archive.commit(step, buffer.stage);
      timer();
      this.#failures = 0;
      this.#problem = undefined;
      if (!committed) {
        this.metrics.fenced.inc();
        this.#logger.warn(`${buffer.topic}/${buffer.partition}: the stored progress is no longer ${step.fromOffset} (another archiver owns the partition); dropped ${buffer.stage.rows} rows`);
        this.#buffers.delete(`${buffer.topic}/${buffer.partition}`);
        return;
      }
      for (const file of files) {
        this.metrics.files.inc({ dataset: file.dataset });
        this.metrics.rows.inc({ dataset: file.dataset }, file.rows);
        this.metrics.bytes.inc({ dataset: file.dataset }, file.bytes);
      }
      buffer.committed();
      await control.commitOffsets(step.topic, step.partition, step.nextOffset).catch((error: Error) => this.#logger.warn(`Kafka offset commit failed: ${error.message}`));
    } catch (error) {
      const delayMs = backoffDelayMs(++this.#failures, { baseMs: 500, maxMs: 10_000 });
      this.#retryAtMs = Date.now() + delayMs;
      this.#problem = `cannot commit lake files: ${(error as Error).message}`;
      this.#logger.warn(`${buffer.topic}/${buffer.partition}: ${this.#problem}; retry in ${delayMs} ms`);
      throw error;
    }
  }

  #updateBuffered(): void {
    let rows = 0;
    for (const buffer of this.#buffers.values()) rows += buffer.stage.rows;
    this.metrics.buffered.set(rows);
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(work);
    this.#queue = result.catch(() => undefined);
    return result;
  }
}
