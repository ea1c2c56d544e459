import { createKafka, ensureTopics, explainKafkaError, readMessageLimits } from '@cryptostream/kafka-io';
import { backoffDelayMs, withTimeout } from '@cryptostream/service-runtime';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { PartitionProgress } from '@cryptostream/persistence';
import { Consumer, Kafka, Partitioners, Producer } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { AGGREGATOR_CONFIG, AggregatorConfig } from '../config/aggregator.config';
import { MysqlSchemaService } from '../persistence/mysql-schema.service';
import type { RejectedRecord } from '../windows/partition-windows';
import { ConsumerControl, FetchedBatch, PARTITIONS_ASSIGNED, PartitionAssignment, PRICE_BATCH } from './consumer-control';
import { ConsumerReadiness } from './consumer-readiness';
import { DeadLetterPublisher } from './dead-letter.publisher';
import { RegisteredSchemas } from '../schemas/registered-schemas.service';

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
  /** The topic is paused (backpressure): a replacement consumer starts paused too. */
  #topicPaused = false;
  #replacements = 0;
  #producer: Producer | undefined;
  #deadLetters: DeadLetterPublisher | undefined;
  readonly #readiness = new ConsumerReadiness();
  #stopped: Promise<void> | undefined;

  constructor(
    @Inject(AGGREGATOR_CONFIG) private readonly config: AggregatorConfig,
    private readonly schema: MysqlSchemaService,
    private readonly schemas: RegisteredSchemas,
  ) {
    super();
    this.#kafka = createKafka({
      clientId: `aggregator-${process.pid}`,
      connection: config.kafka,
      logLevel: config.logLevel,
      retry: { initialRetryTime: 300, retries: 10, maxRetryTime: 5_000 },
    });
  }

  /** Why the consumer is not usable, or undefined when it is (see {@link ConsumerReadiness}). */
  get problem(): string | undefined {
    return this.#readiness.problem(Date.now());
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
    return this.#readiness.lastFetchAtMs;
  }

  seek(topic: string, partition: number, offset: number): void {
    this.#consumer?.seek({ topic, partition, offset: String(offset) });
  }

  pauseAll(): void {
    this.#topicPaused = true;
    this.#consumer?.pause([{ topic: this.config.kafkaTopic }]);
  }

  resumeAll(): void {
    this.#topicPaused = false;
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
    let deadLetterLimit: number | undefined;
    try {
      await ensureTopics(admin, [
        { topic: kafkaTopic, numPartitions: kafkaTopicPartitions },
        { topic: kafkaDlqTopic, numPartitions: kafkaTopicPartitions },
      ], kafkaReplication);
      deadLetterLimit = (await readMessageLimits(admin, [kafkaDlqTopic]).catch(() => new Map<string, number>())).get(kafkaDlqTopic);
    } finally {
      await admin.disconnect();
    }
    const producer = this.#kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    this.#producer = producer;
    await producer.connect();
    this.#deadLetters = new DeadLetterPublisher(producer, kafkaDlqTopic, deadLetterLimit, () => this.schemas.headersOf(kafkaDlqTopic, 'dead-letter'));
    this.#readiness.starting('waiting for the MySQL schema');
    await this.schema.ready();
    await this.#runConsumer();
  }

  /** Creates, connects and runs a consumer; resolves once it has joined its group the first time. */
  async #runConsumer(): Promise<void> {
    const consumer = this.#kafka.consumer({
      groupId: this.config.kafkaGroupId,
      sessionTimeout: this.config.kafkaSessionTimeoutMs,
      heartbeatInterval: Math.min(3_000, Math.floor(this.config.kafkaSessionTimeoutMs / 3)),
      maxBytesPerPartition: this.config.kafkaFetchBytesPerPartition,
      maxWaitTimeInMs: 100,
    });
    this.#consumer = consumer;
    this.#instrument(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: this.config.kafkaTopic, fromBeginning: true });
    this.#readiness.starting(undefined);
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload: FetchedBatch) => this.#dispatch(PRICE_BATCH, payload),
    });
    if (this.#topicPaused) consumer.pause([{ topic: this.config.kafkaTopic }]);
  }

  /**
   * kafkajs restarts a consumer after a retriable crash, but not after any other (a TypeError in
   * a rebalance race, say): that consumer is gone for good while the process lives on, live and
   * never ready again. A new consumer takes its place; it rejoins the group and every partition
   * restarts from the progress stored in MySQL, as after any rebalance.
   */
  #replaceConsumer(dead: Consumer): void {
    if (this.#stopped || dead !== this.#consumer) return;
    const delayMs = backoffDelayMs(++this.#replacements);
    this.logger.warn(`kafkajs does not restart this consumer: replacing it in ${delayMs} ms`);
    setTimeout(() => {
      if (this.#stopped) return;
      void dead
        .disconnect()
        .catch(() => undefined)
        .then(() => this.#runConsumer())
        .then(
          () => (this.#replacements = 0),
          (error: Error) => {
            this.logger.error(`the new consumer did not start: ${error.message}`);
            this.#replaceConsumer(this.#consumer ?? dead);
          },
        );
    }, delayMs).unref();
  }

  #instrument(consumer: Consumer): void {
    const { events } = consumer;
    // A replaced consumer's late events say nothing about the current one.
    const current = () => consumer === this.#consumer;
    consumer.on(events.GROUP_JOIN, ({ payload }) => {
      if (!current()) return;
      this.#readiness.joined(Date.now());
      const assignment: PartitionAssignment = { topic: this.config.kafkaTopic, partitions: payload.memberAssignment[this.config.kafkaTopic] ?? [] };
      this.#dispatch(PARTITIONS_ASSIGNED, assignment).catch((error: Error) => this.logger.error(error.message));
    });
    consumer.on(events.FETCH, () => current() && this.#readiness.fetched(Date.now()));
    consumer.on(events.DISCONNECT, () => current() && this.#readiness.left());
    consumer.on(events.STOP, () => current() && this.#readiness.left());
    consumer.on(events.CRASH, ({ payload }) => {
      if (!current()) return;
      this.logger.error(this.#readiness.crashed((explainKafkaError(payload.error, this.config.kafka) as Error).message, payload.restart));
      if (!payload.restart) this.#replaceConsumer(consumer);
    });
  }

  async #dispatch(pattern: string, payload: unknown): Promise<void> {
    const handler = this.getHandlerByPattern(pattern);
    if (!handler) throw new Error(`no handler for ${pattern}: is the prices controller registered?`);
    await lastValueFrom(this.transformToObservable(await handler(payload)), { defaultValue: undefined });
  }
}
