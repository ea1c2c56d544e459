import { ensureTopics } from '@cryptostream/kafka-io';
import { withTimeout } from '@cryptostream/service-runtime';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { PartitionProgress } from '@cryptostream/persistence';
import { Consumer, Kafka, logLevel, LogEntry, Partitioners, Producer } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { AGGREGATOR_CONFIG, AggregatorConfig } from '../config/aggregator.config';
import { MysqlSchemaService } from '../persistence/mysql-schema.service';
import type { RejectedRecord } from '../windows/partition-windows';
import { ConsumerControl, FetchedBatch, PARTITIONS_ASSIGNED, PartitionAssignment, PRICE_BATCH } from './consumer-control';
import { DeadLetterPublisher } from './dead-letter.publisher';

/** A consumer that fetched nothing for this long (not even an empty fetch) counts as down. */
const FETCH_SILENCE_MS = 15_000;

/**
 * A Nest microservice transport on kafkajs `eachBatch`: Nest's own Kafka server hands handlers
 * one message at a time and commits offsets itself, while exact windows need whole batches,
 * seeks to offsets stored in MySQL and offsets committed only after MySQL has the windows.
 *
 * Dispatches `PRICE_BATCH` with kafkajs's own batch payload ({@link FetchedBatch}) and
 * `PARTITIONS_ASSIGNED` after every rebalance; the handlers act back on Kafka through
 * {@link ConsumerControl}.
 */
@Injectable()
export class KafkaBatchServer extends Server implements CustomTransportStrategy, ConsumerControl {
  protected override readonly logger = new Logger(KafkaBatchServer.name);
  readonly #kafka: Kafka;
  #consumer: Consumer | undefined;
  #producer: Producer | undefined;
  #deadLetters: DeadLetterPublisher | undefined;
  #joined = false;
  #lastFetchAtMs = 0;
  #problem: string | undefined = 'consumer not started yet';
  #stopped: Promise<void> | undefined;

  constructor(
    @Inject(AGGREGATOR_CONFIG) private readonly config: AggregatorConfig,
    private readonly schema: MysqlSchemaService,
  ) {
    super();
    this.#kafka = new Kafka({
      clientId: `aggregator-${process.pid}`,
      brokers: [...config.kafkaBrokers],
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => this.logger.warn(`kafkajs ${entry.namespace ?? ''} ${entry.log.message}`),
      retry: { initialRetryTime: 300, retries: 10, maxRetryTime: 5_000 },
    });
  }

  get problem(): string | undefined {
    if (this.#problem) return this.#problem;
    if (!this.#joined) return 'consumer has not joined its group';
    if (Date.now() - this.#lastFetchAtMs > FETCH_SILENCE_MS) return `no fetch from Kafka for over ${FETCH_SILENCE_MS / 1000} s`;
    return undefined;
  }

  listen(callback: (error?: unknown) => void): void {
    this.#start().then(() => callback(), callback);
  }

  /**
   * Stops fetching and waits for the batch in progress (first step of a graceful shutdown).
   * kafkajs can hang in stop() after partitions were paused and resumed; past `timeoutMs` the
   * shutdown goes on: whatever the consumer did is in MySQL with consistent progress anyway.
   */
  stopFetching(timeoutMs = (this.config.shutdownDeadlineMs * 2) / 5): Promise<void> {
    this.#stopped ??= withTimeout(this.#consumer?.stop() ?? Promise.resolve(), timeoutMs, () =>
      this.logger.warn(`the Kafka consumer did not stop within ${timeoutMs} ms; going on`),
    );
    return this.#stopped;
  }

  async close(): Promise<void> {
    await this.stopFetching();
    const timeoutMs = this.config.shutdownDeadlineMs / 5;
    await withTimeout(this.#consumer?.disconnect().catch(() => undefined) ?? Promise.resolve(), timeoutMs, () => undefined);
    await withTimeout(this.#producer?.disconnect().catch(() => undefined) ?? Promise.resolve(), timeoutMs, () => undefined);
  }

  get lastFetchAtMs(): number {
    return this.#lastFetchAtMs;
  }

  seek(topic: string, partition: number, offset: number): void {
    this.#consumer?.seek({ topic, partition, offset: String(offset) });
  }

  pauseAll(): void {
    this.#consumer?.pause([{ topic: this.config.kafkaTopic }]);
  }

  resumeAll(): void {
    this.#consumer?.resume([{ topic: this.config.kafkaTopic }]);
  }

  async publishDeadLetters(topic: string, partition: number, rejected: readonly RejectedRecord[]): Promise<void> {
    if (!this.#deadLetters) throw new Error('the dead-letter producer is not connected');
    await this.#deadLetters.publish(topic, partition, rejected);
  }

  async commitOffsets(progress: readonly PartitionProgress[]): Promise<void> {
    await this.#consumer?.commitOffsets(progress.map((p) => ({ topic: p.topic, partition: p.partition, offset: String(p.resumeOffset) })));
  }

  on(): never {
    throw new Error('KafkaBatchServer has no events to subscribe to; read /health/ready');
  }

  unwrap<T>(): T {
    return this.#kafka as T;
  }

  async #start(): Promise<void> {
    const { kafkaTopic, kafkaDlqTopic, kafkaTopicPartitions, kafkaReplication } = this.config;
    const admin = this.#kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin, [
        { topic: kafkaTopic, numPartitions: kafkaTopicPartitions },
        { topic: kafkaDlqTopic, numPartitions: kafkaTopicPartitions },
      ], kafkaReplication);
    } finally {
      await admin.disconnect();
    }
    const producer = this.#kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    this.#producer = producer;
    await producer.connect();
    this.#deadLetters = new DeadLetterPublisher(producer, kafkaDlqTopic);
    this.#problem = 'waiting for the MySQL schema';
    await this.schema.ready();
    const consumer = this.#kafka.consumer({
      groupId: this.config.kafkaGroupId,
      sessionTimeout: this.config.kafkaSessionTimeoutMs,
      heartbeatInterval: Math.min(3_000, Math.floor(this.config.kafkaSessionTimeoutMs / 3)),
      maxBytesPerPartition: 4 * 1024 * 1024,
      maxWaitTimeInMs: 100,
    });
    this.#consumer = consumer;
    this.#instrument(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: kafkaTopic, fromBeginning: true });
    this.#problem = undefined;
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload: FetchedBatch) => this.#dispatch(PRICE_BATCH, payload),
    });
  }

  #instrument(consumer: Consumer): void {
    const { events } = consumer;
    consumer.on(events.GROUP_JOIN, ({ payload }) => {
      this.#joined = true;
      this.#lastFetchAtMs = Date.now();
      const assignment: PartitionAssignment = { topic: this.config.kafkaTopic, partitions: payload.memberAssignment[this.config.kafkaTopic] ?? [] };
      this.#dispatch(PARTITIONS_ASSIGNED, assignment).catch((error: Error) => this.logger.error(error.message));
    });
    consumer.on(events.FETCH, () => (this.#lastFetchAtMs = Date.now()));
    consumer.on(events.CONNECT, () => (this.#problem = undefined));
    consumer.on(events.DISCONNECT, () => (this.#joined = false));
    consumer.on(events.STOP, () => (this.#joined = false));
    consumer.on(events.CRASH, ({ payload }) => {
      this.#joined = false;
      this.#problem = `consumer crashed: ${payload.error.message}${payload.restart ? ' (restarting)' : ''}`;
      this.logger.error(this.#problem);
      if (!payload.restart) process.exitCode = 1;
    });
  }

  async #dispatch(pattern: string, payload: unknown): Promise<void> {
    const handler = this.getHandlerByPattern(pattern);
    if (!handler) throw new Error(`no handler for ${pattern}: is the prices controller registered?`);
    await lastValueFrom(this.transformToObservable(await handler(payload)), { defaultValue: undefined });
  }
}
