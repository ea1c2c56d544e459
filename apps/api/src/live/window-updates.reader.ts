import { createKafka, ensureTopics, explainKafkaError } from '@cryptostream/kafka-io';
import { decodeWindowUpdate } from '@cryptostream/schema';
import { ConsumedSchemaIds } from '@cryptostream/schema-registry';
import { backoffDelayMs } from '@cryptostream/service-runtime';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { API_CONFIG, ApiConfig } from '../config/api.config';
import { ApiMetrics } from '../metrics/api.metrics';
import { UpdateHub } from './update-hub';
import { UPDATE_HUB } from './update-hub.provider';

/**
 * Reads the window-update topic from its end and hands every update to the {@link UpdateHub}.
 * Each API instance has a group of its own (every instance must see every update) and commits
 * nothing, so the broker forgets the group once the instance is gone. With a schema registry,
 * an update whose schema id this API cannot read is not served: counted, logged once per id.
 */
@Injectable()
export class WindowUpdatesReader implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly #logger = new Logger(WindowUpdatesReader.name);
  readonly #kafka: Kafka;
  #consumer: Consumer | undefined;
  #joined = false;
  #problem: string | undefined = 'not started yet';
  #lookUpFailures = 0;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(UPDATE_HUB) private readonly hub: UpdateHub,
    private readonly metrics: ApiMetrics,
    private readonly schemaIds: ConsumedSchemaIds,
  ) {
    this.#kafka = createKafka({
      clientId: `api-${process.pid}`,
      connection: config.kafka,
      logLevel: config.logLevel,
      retry: { initialRetryTime: 300, retries: 10, maxRetryTime: 5_000 },
    });
  }

  get kafka(): Kafka {
    return this.#kafka;
  }

  /** Why live updates do not flow, or undefined when the reader has joined and reads. */
  get problem(): string | undefined {
    return this.#problem ?? (this.#joined ? undefined : 'window-update reader has not joined yet');
  }

  onApplicationBootstrap(): void {
    // In the background: the REST side serves history while Kafka is still away.
    this.#start().catch((error: Error) => {
      this.#problem = `cannot read ${this.config.windowUpdatesTopic.name}: ${error.message}`;
      this.#logger.error(this.#problem);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.#consumer?.disconnect().catch(() => undefined);
  }

  async #start(): Promise<void> {
    const admin = this.#kafka.admin();
    await admin.connect();
    try {
      const { name, partitions } = this.config.windowUpdatesTopic;
      await ensureTopics(admin, [{ topic: name, numPartitions: partitions }], this.config.kafkaReplication);
    } finally {
      await admin.disconnect();
    }
    const consumer = this.#kafka.consumer({
      groupId: `cryptostream-api-${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`,
      maxWaitTimeInMs: 50,
      sessionTimeout: 10_000,
      heartbeatInterval: 3_000,
    });
    this.#consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => (this.#joined = true));
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.#joined = false;
      this.#problem = `window-update reader crashed: ${(explainKafkaError(payload.error, this.config.kafka) as Error).message}`;
    });
    consumer.on(consumer.events.CONNECT, () => (this.#problem = undefined));
    await consumer.connect();
    await consumer.subscribe({ topic: this.config.windowUpdatesTopic.name, fromBeginning: false });
    this.#problem = undefined;
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.#read(payload),
    });
  }

  async #read({ batch, pause, resolveOffset }: EachBatchPayload): Promise<void> {
    const check = this.schemaIds.of(batch.topic);
    if (check?.needsLookUp(batch.messages)) {
      try {
        await check.lookUp(batch.messages);
        this.#lookUpFailures = 0;
      } catch (error) {
        // The registry does not answer: nothing is refused for that; the batch is read again later.
        const delayMs = backoffDelayMs(++this.#lookUpFailures, { baseMs: 500, maxMs: 10_000 });
        this.#logger.warn(`cannot look up schema ids (${(error as Error).message}); ${batch.topic}/${batch.partition} retries in ${delayMs} ms`);
        setTimeout(pause(), delayMs).unref();
        return;
      }
    }
    for (const message of batch.messages) {
      const refused = check?.reasonToRefuse(message, 'window-update');
      if (refused !== undefined) {
        this.metrics.updatesRefused.inc();
        if (check!.isNewRefusal(refused)) this.#logger.warn(`not serving ${batch.topic}/${batch.partition}@${message.offset} (and the next with the same id): ${refused}`);
        continue;
      }
      const update = decodeWindowUpdate(message.value);
      if (typeof update === 'string') {
        this.metrics.updatesInvalid.inc();
        this.#logger.warn(`skipping ${batch.topic}/${batch.partition}@${message.offset}: ${update}`);
        continue;
      }
      this.metrics.updatesReceived.inc();
      this.hub.publish(update, batch.partition, Number(message.offset));
    }
    if (batch.messages.length > 0) resolveOffset(batch.messages[batch.messages.length - 1].offset);
  }
}
