import { Inject, Injectable, Logger, OnApplicationShutdown, BeforeApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ensureTopics } from '@cryptostream/kafka-io';
import { MarketTrade, nonMarketReason, priceMessageOfTrade } from '@cryptostream/market-data';
import { CryptostreamError, DeadLetter, encodeDeadLetter, PriceSource, validatePriceMessage } from '@cryptostream/schema';
import { Admin, Kafka, Partitioners, Producer } from 'kafkajs';
import { INGESTOR_CONFIG } from '../config/config.module';
import { IngestorConfig } from '../config/ingestor-config';
import { IngestorMetrics } from '../metrics/ingestor.metrics';
import { ContractSizes } from './contract-sizes.service';
import { KAFKA } from './kafka.provider';
import { MessageBatcher, OutgoingMessage } from './message-batcher';

/** Where a payload came from, for the dead-letter topic. */
export type Origin = DeadLetter['origin'];

/** Whether a payload was queued for the price topic or sent to the dead-letter topic. */
export type PublishOutcome = 'published' | 'dead-lettered';

/** What `/health/ready` needs to know about Kafka. */
export interface PublisherState {
  readonly connected: boolean;
  readonly reason?: string;
}

const SHUTDOWN_FLUSH_MS = 10_000;

/** Dead-letter payloads are cut to this many characters (Kafka's default message limit is 1 MB). */
const MAX_DEAD_LETTER_PAYLOAD = 16_384;

/**
 * Publishes price messages to the price topic, keyed by symbol, and everything that fails
 * validation to the dead-letter topic with its reason. Connects in the background (the process
 * stays up and reports not-ready while Kafka is unreachable); flushes on shutdown.
 */
@Injectable()
export class PricePublisher implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  readonly #logger = new Logger(PricePublisher.name);
  readonly #producer: Producer;
  readonly #batcher: MessageBatcher;
  #connected = false;
  #problem: string | undefined = 'connecting to Kafka';
  #ready: Promise<void> | undefined;
  #stopping = false;
  /** The admin client of a connection attempt in progress, and the wake-up of its backoff. */
  #connecting: Admin | undefined;
  #wakeConnect: (() => void) | undefined;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(INGESTOR_CONFIG) private readonly config: IngestorConfig,
    private readonly metrics: IngestorMetrics,
    private readonly contractSizes: ContractSizes,
  ) {
    this.#producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    this.#batcher = new MessageBatcher({
      batchSize: config.kafka.batchSize,
      lingerMs: config.kafka.lingerMs,
      send: (batch) => this.#send(batch),
      onSendError: (error, attempt) => {
        this.metrics.sendErrors.inc();
        this.#problem = `Kafka send failing (attempt ${attempt}): ${(error as Error).message}`;
        this.#logger.warn(this.#problem);
      },
    });
  }

  onModuleInit(): void {
    this.#ready = this.#connect();
  }

  /** Resolves once the topics exist and the producer is connected. */
  whenReady(): Promise<void> {
    return this.#ready ?? Promise.resolve();
  }

  state(): PublisherState {
    return this.#connected && this.#problem === undefined ? { connected: true } : { connected: false, reason: this.#problem ?? 'Kafka disconnected' };
  }

  /**
   * Validates the message of a trade and queues it, keyed by symbol; non-market trades and
   * invalid messages go to the dead-letter topic instead. Resolves when the queue has room.
   */
  publishTrade(trade: MarketTrade, source: PriceSource, origin?: Origin): Promise<PublishOutcome> {
    const message = this.#messageOf(trade, source);
    if (typeof message === 'string') return this.deadLetter(message, JSON.stringify(trade), source, origin);
    return this.publishMessage(message, source, origin);
  }

  /** Whether {@link publishTrade} would publish the trade, and if not, why (nothing is sent). */
  checkTrade(trade: MarketTrade, source: PriceSource): { ok: true } | { ok: false; reason: string } {
    const message = this.#messageOf(trade, source);
    if (typeof message === 'string') return { ok: false, reason: message };
    const outcome = validatePriceMessage(message);
    return outcome.ok ? { ok: true } : { ok: false, reason: outcome.reason };
  }

  /** The price message of a trade (with its contract size for COIN-M), or why it has none. */
  #messageOf(trade: MarketTrade, source: PriceSource): Record<string, unknown> | string {
    const excluded = nonMarketReason(trade);
    if (excluded !== undefined) return `not a market trade: ${excluded}`;
    try {
      return priceMessageOfTrade(trade, source, this.contractSizes.of(trade.symbol));
    } catch (error) {
      return (error as Error).message;
    }
  }

  /** Validates an already-built price message and queues it (or dead-letters it). */
  async publishMessage(message: Record<string, unknown>, source: PriceSource, origin?: Origin): Promise<PublishOutcome> {
    const value = JSON.stringify(message);
    const outcome = validatePriceMessage(message);
    if (!outcome.ok) return this.deadLetter(outcome.reason, value, source, origin);
    const symbol = outcome.message.symbol;
    await this.#batcher.add({ topic: this.config.kafka.topic, key: symbol, value, symbol });
    return 'published';
  }

  /** Sends a raw payload to the dead-letter topic with the reason it was rejected. */
  async deadLetter(reason: string, payload: string, source: string, origin?: Origin): Promise<'dead-lettered'> {
    this.metrics.invalid.inc({ source });
    if (payload.length > MAX_DEAD_LETTER_PAYLOAD) {
      reason = `${reason} (payload of ${payload.length} characters cut to ${MAX_DEAD_LETTER_PAYLOAD})`;
      payload = payload.slice(0, MAX_DEAD_LETTER_PAYLOAD);
    }
    const letter: DeadLetter = { reason, payload, rejectedBy: 'ingestor', rejectedAtMs: Date.now(), ...(origin ? { origin } : {}) };
    await this.#batcher.add({ topic: this.config.kafka.deadLetterTopic, key: null, value: encodeDeadLetter(letter) });
    return 'dead-lettered';
  }

  /** Sends everything queued so far. */
  async flush(): Promise<void> {
    await this.#batcher.flush();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.#stopping = true;
    const queued = this.#batcher.queued;
    const lost = await this.#batcher.flush(Date.now() + SHUTDOWN_FLUSH_MS);
    if (lost > 0) this.#logger.error(`shutdown: ${lost} messages could not be sent to Kafka within ${SHUTDOWN_FLUSH_MS} ms`);
    else this.#logger.log(`shutdown: flushed ${queued} queued messages to Kafka`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.#stopping = true;
    this.#connected = false;
    this.#problem = 'shutting down';
    this.#wakeConnect?.();
    await this.#connecting?.disconnect().catch(() => undefined);
    await this.#producer.disconnect().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    for (let attempt = 1; !this.#stopping; attempt += 1) {
      // Few retries per attempt: this loop retries with its own (interruptible) backoff.
      const admin = this.kafka.admin({ retry: { retries: 2, initialRetryTime: 200 } });
      this.#connecting = admin;
      try {
        await admin.connect();
        try {
          const partitions = this.config.kafka.topicPartitions;
          const created = await ensureTopics(admin, [
            { topic: this.config.kafka.topic, numPartitions: partitions },
            { topic: this.config.kafka.deadLetterTopic, numPartitions: partitions },
          ], this.config.kafka.replication);
          if (created.length > 0) this.#logger.log(`created topics ${created.join(', ')}`);
        } finally {
          await admin.disconnect();
        }
        if (this.#stopping) return;
        await this.#producer.connect();
        this.#connected = true;
        this.#problem = undefined;
        this.#logger.log(`connected to Kafka ${this.config.kafka.brokers.join(',')}`);
        return;
      } catch (error) {
        if (this.#stopping) return;
        this.#problem = `cannot reach Kafka ${this.config.kafka.brokers.join(',')}: ${(error as Error).message}`;
        this.#logger.warn(`${this.#problem} (attempt ${attempt}, retrying)`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(10_000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2));
          this.#wakeConnect = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      } finally {
        this.#connecting = undefined;
      }
    }
  }

  async #send(batch: readonly OutgoingMessage[]): Promise<void> {
    if (!this.#connected) throw new CryptostreamError(this.#problem ?? 'not connected to Kafka', { retriable: true });
    const byTopic = new Map<string, { key: string | null; value: string }[]>();
    for (const { topic, key, value } of batch) {
      const messages = byTopic.get(topic) ?? [];
      messages.push({ key, value });
      byTopic.set(topic, messages);
    }
    await this.#producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    this.#connected = true;
    this.#problem = undefined;
    for (const message of batch) if (message.symbol !== undefined) this.metrics.published.inc({ symbol: message.symbol });
  }
}
