import { withTimeout } from '@cryptostream/service-runtime';
import { createKafka, ensureTopics } from '@cryptostream/kafka-io';
import { Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Kafka, Partitioners, Producer } from 'kafkajs';
import { AGGREGATOR_CONFIG, AggregatorConfig } from '../config/aggregator.config';
import { AggregatorMetrics } from '../metrics/aggregator.metrics';
import { RegisteredSchemas } from '../schemas/registered-schemas.service';
import { SchemasModule } from '../schemas/schemas.module';
import { WindowUpdatePublisher } from './window-update.publisher';
import { NO_WINDOW_UPDATES, WINDOW_UPDATES, WindowUpdates } from './window-updates';

/** How long shutdown waits for the last final updates to reach the broker. */
const SHUTDOWN_FLUSH_MS = 2_000;
const FAILURE_LOG_INTERVAL_MS = 10_000;

/**
 * Publishes window updates to the update topic with a producer of its own (leader acks: the
 * updates are a live view; MySQL holds the record).
 */
export class KafkaWindowUpdates implements WindowUpdates, OnModuleInit, OnApplicationShutdown {
  readonly #logger = new Logger(KafkaWindowUpdates.name);
  readonly #producer: Producer;
  readonly #kafka: Kafka;
  readonly #publisher: WindowUpdatePublisher;
  #lastFailureLogMs = 0;
  /** Topic and producer ready; cleared when they fail or the producer drops, so the next send tries again. */
  #ready: Promise<void> | undefined;

  constructor(
    private readonly config: AggregatorConfig,
    metrics: AggregatorMetrics,
    schemas: RegisteredSchemas,
  ) {
    this.#kafka = createKafka({
      clientId: `aggregator-updates-${process.pid}`,
      connection: config.kafka,
      logLevel: config.logLevel,
      retry: { initialRetryTime: 300, retries: 5, maxRetryTime: 3_000 },
    });
    this.#producer = this.#kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
    const topic = config.windowUpdatesTopic.name;
    this.#publisher = new WindowUpdatePublisher({
      // Final updates wait for the broker within the memory budget, as closed windows wait for MySQL.
      maxPending: config.maxPendingWindows,
      send: async (messages) => {
        await this.#prepare();
        // Throws (retriable) until the schema is registered: final updates wait, as for the broker.
        const headers = schemas.headersOf(topic, 'window-update');
        await this.#producer.send({ topic, acks: 1, messages: headers ? messages.map((message) => ({ ...message, headers })) : [...messages] });
      },
      onSent: (count) => metrics.updatesPublished.inc(count),
      onFailed: (error, dropped) => {
        metrics.updatesDropped.inc(dropped);
        const nowMs = Date.now();
        if (nowMs - this.#lastFailureLogMs < FAILURE_LOG_INTERVAL_MS) return;
        this.#lastFailureLogMs = nowMs;
        this.#logger.warn(`window updates to ${topic} failed (${error.message}); final ones are kept and retried`);
      },
    });
    this.#producer.on(this.#producer.events.DISCONNECT, () => (this.#ready = undefined));
  }

  async onModuleInit(): Promise<void> {
    // Readers miss live updates until the broker answers; the windows still reach MySQL.
    await this.#prepare().catch((error: Error) => this.#logger.warn(`cannot prepare ${this.config.windowUpdatesTopic.name}: ${error.message}; retrying with the next update`));
  }

  /** Creates the topic when missing and connects the producer, once, or again after a failure. */
  #prepare(): Promise<void> {
    this.#ready ??= (async () => {
      const admin = this.#kafka.admin();
      try {
        await admin.connect();
        const { name, partitions } = this.config.windowUpdatesTopic;
        await ensureTopics(admin, [{ topic: name, numPartitions: partitions }], this.config.kafkaReplication);
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
      await this.#producer.connect();
    })().catch((error: Error) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  open(windows: Parameters<WindowUpdates['open']>[0]): void {
    this.#publisher.open(windows);
  }

  closed(windows: Parameters<WindowUpdates['closed']>[0]): void {
    this.#publisher.closed(windows);
  }

  /** After the graceful stop wrote the last windows: their final updates go out, within a bound. */
  async onApplicationShutdown(): Promise<void> {
    await withTimeout(this.#publisher.whenIdle(), SHUTDOWN_FLUSH_MS, () => undefined);
    await this.#producer.disconnect().catch(() => undefined);
  }
}

/** Live window updates for readers (`crypto_windows`), or none with `WINDOW_UPDATES=off`. */
@Module({
  imports: [SchemasModule],
  providers: [
    {
      provide: WINDOW_UPDATES,
      inject: [AGGREGATOR_CONFIG, AggregatorMetrics, RegisteredSchemas],
      useFactory: (config: AggregatorConfig, metrics: AggregatorMetrics, schemas: RegisteredSchemas): WindowUpdates =>
        config.windowUpdates ? new KafkaWindowUpdates(config, metrics, schemas) : NO_WINDOW_UPDATES,
    },
  ],
  exports: [WINDOW_UPDATES],
})
export class WindowUpdatesModule {}
