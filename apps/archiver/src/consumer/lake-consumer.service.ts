import { createKafka, ensureTopics, explainKafkaError } from '@cryptostream/kafka-io';
import { LakeManifest, removeUncommittedFiles } from '@cryptostream/lake';
import { withTimeout } from '@cryptostream/service-runtime';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { Consumer, Kafka } from 'kafkajs';
import { ArchiveConsumerControl, ArchiveRunner } from '../archive/archive.runner';
import { ARCHIVER_CONFIG, ArchiverConfig } from '../config/archiver.config';
import { ArchiverMetrics } from '../metrics/archiver.metrics';
import { MysqlSchemaService } from '../persistence/mysql-schema.service';

/**
 * The archiver's Kafka side: its own consumer group over the prices, window-update and
 * dead-letter topics, batches to the {@link ArchiveRunner}, offsets never auto-committed (the
 * lake's progress is in MySQL). Before it joins the group, the disk is made to match the
 * manifest: files no commit lists are removed.
 */
@Injectable()
export class LakeConsumer implements ArchiveConsumerControl, OnModuleDestroy {
  readonly #logger = new Logger(LakeConsumer.name);
  readonly #kafka: Kafka;
  #consumer: Consumer | undefined;
  #rollTimer: NodeJS.Timeout | undefined;
  #problem: string | undefined = 'starting';
  #stopped: Promise<void> | undefined;

  constructor(
    @Inject(ARCHIVER_CONFIG) private readonly config: ArchiverConfig,
    private readonly runner: ArchiveRunner,
    private readonly manifest: LakeManifest,
    private readonly schema: MysqlSchemaService,
    private readonly metrics: ArchiverMetrics,
  ) {
    this.#kafka = createKafka({
      clientId: `archiver-${process.pid}`,
      connection: config.kafka,
      logLevel: config.logLevel,
      retry: { initialRetryTime: 300, retries: 10, maxRetryTime: 5_000 },
    });
  }

  /** The topics archived. */
  get topics(): string[] {
    return this.runner.topics;
  }

  /** Why the consumer is not archiving, or undefined when it is. */
  get problem(): string | undefined {
    return this.#problem ?? this.runner.problem;
  }

  /** Migrates, cleans the lake directory, then joins the group; resolves once consuming. */
  async start(): Promise<void> {
    this.#problem = 'waiting for the MySQL schema';
    await this.schema.ready();
    const removed = await removeUncommittedFiles(this.config.lakeDir, this.manifest, this.config.retiredGraceMs);
    this.metrics.removedAtStart.inc(removed.uncommitted);
    if (removed.uncommitted + removed.retired > 0) {
      this.#logger.log(`removed ${removed.uncommitted} uncommitted and ${removed.retired} retired file(s) from ${this.config.lakeDir}`);
    }
    this.#problem = 'joining the consumer group';
    await this.#ensureTopics();
    const consumer = this.#kafka.consumer({
      groupId: this.config.kafkaGroupId,
      sessionTimeout: this.config.kafkaSessionTimeoutMs,
      heartbeatInterval: Math.min(3_000, Math.floor(this.config.kafkaSessionTimeoutMs / 3)),
      maxBytesPerPartition: this.config.kafkaFetchBytesPerPartition,
      maxWaitTimeInMs: 250,
    });
    this.#consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.#problem = undefined;
      void this.runner.assign();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.#problem = `the Kafka consumer crashed: ${(explainKafkaError(payload.error, this.config.kafka) as Error).message}${payload.restart ? ' (restarting)' : ''}`;
    });
    await consumer.connect();
    await consumer.subscribe({ topics: this.runner.topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.runner.run(payload, this),
    });
    const tickMs = Math.max(50, Math.min(1_000, Math.floor(this.config.rollMs / 4)));
    this.#rollTimer = setInterval(() => void this.runner.rollByTime(this), tickMs);
    this.#rollTimer.unref();
  }

  seek(topic: string, partition: number, offset: number): void {
    this.#consumer?.seek({ topic, partition, offset: String(offset) });
  }

  async commitOffsets(topic: string, partition: number, offset: number): Promise<void> {
    await this.#consumer?.commitOffsets([{ topic, partition, offset: String(offset) }]);
  }

  /** Stops fetching and waits for the batch in progress, then commits what is buffered (SIGTERM). */
  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      clearInterval(this.#rollTimer);
      const timeoutMs = (this.config.shutdownDeadlineMs * 2) / 5;
      await withTimeout(this.#consumer?.stop() ?? Promise.resolve(), timeoutMs, () => this.#logger.warn(`the Kafka consumer did not stop within ${timeoutMs} ms; going on`));
      await this.runner.commitAll(this);
      this.#problem = 'stopped';
    })();
    return this.#stopped;
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop().catch((error: Error) => this.#logger.error(`buffered rows not committed: ${error.message} (they are read again at the next start)`));
    await withTimeout(this.#consumer?.disconnect().catch(() => undefined) ?? Promise.resolve(), this.config.shutdownDeadlineMs / 5, () => undefined);
  }

  async #ensureTopics(): Promise<void> {
    const admin = this.#kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin, this.runner.topics.map((topic) => ({ topic, numPartitions: this.config.kafkaTopicPartitions })), this.config.kafkaReplication);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
