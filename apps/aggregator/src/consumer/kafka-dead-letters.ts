import { createKafka, ensureTopics, readMessageLimits } from '@cryptostream/kafka-io';
import { withTimeout } from '@cryptostream/service-runtime';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Kafka, Partitioners, Producer } from 'kafkajs';
import { AGGREGATOR_CONFIG, AggregatorConfig } from '../config/aggregator.config';
import { RegisteredSchemas } from '../schemas/registered-schemas.service';
import type { RejectedRecord } from '../windows/partition-windows';
import { DeadLetterPublisher } from './dead-letter.publisher';
import type { DeadLetters } from './dead-letters';

/**
 * The dead-letter topic (`KAFKA_DLQ_TOPIC`) with a producer of its own: created when missing and
 * connected at start-up, or again with the next letters after a failure (the batch that carries
 * them fails and is read again, so nothing passes its dead letters).
 */
@Injectable()
export class KafkaDeadLetters implements DeadLetters, OnModuleInit, OnApplicationShutdown {
  readonly #logger = new Logger(KafkaDeadLetters.name);
  readonly #kafka: Kafka;
  readonly #producer: Producer;
  /** Topic, its message limit and the producer; cleared when they fail or the producer drops. */
  #ready: Promise<DeadLetterPublisher> | undefined;

  constructor(
    @Inject(AGGREGATOR_CONFIG) private readonly config: AggregatorConfig,
    private readonly schemas: RegisteredSchemas,
  ) {
    this.#kafka = createKafka({
      clientId: `aggregator-dlq-${process.pid}`,
      connection: config.kafka,
      logLevel: config.logLevel,
      retry: { initialRetryTime: 300, retries: 10, maxRetryTime: 5_000 },
    });
    this.#producer = this.#kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    this.#producer.on(this.#producer.events.DISCONNECT, () => (this.#ready = undefined));
  }

  /** Starts preparing, without holding up start-up: the first letters wait for it. */
  onModuleInit(): void {
    this.#prepare().catch((error: Error) => this.#logger.warn(`cannot prepare ${this.config.kafkaDlqTopic}: ${error.message}; retrying with the first dead letters`));
  }

  async publish(topic: string, partition: number, rejected: readonly RejectedRecord[]): Promise<void> {
    await (await this.#prepare()).publish(topic, partition, rejected);
  }

  /** After the consumer has stopped: nothing more to send. */
  async onApplicationShutdown(): Promise<void> {
    await withTimeout(this.#producer.disconnect().catch(() => undefined), this.config.shutdownDeadlineMs / 5, () => undefined);
  }

  #prepare(): Promise<DeadLetterPublisher> {
    this.#ready ??= (async () => {
      const { kafkaDlqTopic, kafkaTopicPartitions, kafkaReplication } = this.config;
      const admin = this.#kafka.admin();
      let limit: number | undefined;
      try {
        await admin.connect();
        await ensureTopics(admin, [{ topic: kafkaDlqTopic, numPartitions: kafkaTopicPartitions }], kafkaReplication);
        limit = (await readMessageLimits(admin, [kafkaDlqTopic]).catch(() => new Map<string, number>())).get(kafkaDlqTopic);
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
      await this.#producer.connect();
      return new DeadLetterPublisher(this.#producer, kafkaDlqTopic, limit, () => this.schemas.headersOf(kafkaDlqTopic, 'dead-letter'));
    })().catch((error: Error) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }
}
