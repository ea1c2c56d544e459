import { createKafka, ensureTopics, explainKafkaError } from '@cryptostream/kafka-io';
import { backoffDelayMs, withTimeout } from '@cryptostream/service-runtime';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { Consumer, Kafka } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { AGGREGATOR_CONFIG, AggregatorConfig } from '../config/aggregator.config';
import { MysqlSchemaService } from '../persistence/mysql-schema.service';
import { ActiveConsumer } from './active-consumer';
import { BatchAcknowledgement, FetchedBatch, PARTITIONS_ASSIGNED, PartitionAssignment, PRICE_BATCH } from './batch-transport';
import { ConsumerReadiness } from './consumer-readiness';

/**
 * A Nest microservice transport on kafkajs `eachBatch`: Nest's own Kafka server hands handlers
 * one message at a time and commits offsets itself, while exact windows need whole batches,
 * seeks to offsets stored in MySQL and offsets committed only after MySQL has the windows.
 *
 * It only transports, one way: batches in, acknowledgements out. It dispatches `PRICE_BATCH` with
 * kafkajs's own batch payload ({@link FetchedBatch}) and applies the handler's
 * {@link BatchAcknowledgement} (a seek), and dispatches `PARTITIONS_ASSIGNED` after every
 * rebalance. What else acts on Kafka is a provider of its own that the handlers are given: dead
 * letters (`KafkaDeadLetters`), offset commits and the topic's pause (through
 * {@link ActiveConsumer}, which the server tells which consumer runs).
 */
@Injectable()
export class KafkaBatchServer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(KafkaBatchServer.name);
  readonly #kafka: Kafka;
  #consumer: Consumer | undefined;
  #replacements = 0;
  #stopped: Promise<void> | undefined;

  constructor(
    @Inject(AGGREGATOR_CONFIG) private readonly config: AggregatorConfig,
    private readonly schema: MysqlSchemaService,
    private readonly readiness: ConsumerReadiness,
    private readonly active: ActiveConsumer,
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
    return this.readiness.problem(Date.now());
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
  }

  on(): never {
    throw new Error('KafkaBatchServer has no events to subscribe to; read /health/ready');
  }

  unwrap<T>(): T {
    return this.#kafka as T;
  }

  async #start(): Promise<void> {
    const { kafkaTopic, kafkaTopicPartitions, kafkaReplication } = this.config;
    const admin = this.#kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin, [{ topic: kafkaTopic, numPartitions: kafkaTopicPartitions }], kafkaReplication);
    } finally {
      await admin.disconnect();
    }
    this.readiness.starting('waiting for the MySQL schema');
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
    this.readiness.starting(undefined);
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async (payload: FetchedBatch) => {
        const acknowledgement = await this.#dispatch<BatchAcknowledgement>(PRICE_BATCH, payload);
        if (acknowledgement) consumer.seek({ topic: payload.batch.topic, partition: payload.batch.partition, offset: String(acknowledgement.seekTo) });
      },
    });
    this.active.replace(consumer);
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
      this.readiness.joined(Date.now());
      const assignment: PartitionAssignment = { topic: this.config.kafkaTopic, partitions: payload.memberAssignment[this.config.kafkaTopic] ?? [] };
      this.#dispatch(PARTITIONS_ASSIGNED, assignment).catch((error: Error) => this.logger.error(error.message));
    });
    consumer.on(events.FETCH, () => current() && this.readiness.fetched(Date.now()));
    consumer.on(events.DISCONNECT, () => current() && this.readiness.left());
    consumer.on(events.STOP, () => current() && this.readiness.left());
    consumer.on(events.CRASH, ({ payload }) => {
      if (!current()) return;
      this.logger.error(this.readiness.crashed((explainKafkaError(payload.error, this.config.kafka) as Error).message, payload.restart));
      if (!payload.restart) this.#replaceConsumer(consumer);
    });
  }

  async #dispatch<T = void>(pattern: string, payload: unknown): Promise<T | undefined> {
    const handler = this.getHandlerByPattern(pattern);
    if (!handler) throw new Error(`no handler for ${pattern}: is the prices controller registered?`);
    return lastValueFrom(this.transformToObservable<T>(await handler(payload)), { defaultValue: undefined });
  }
}
