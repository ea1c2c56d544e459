import { Inject, Injectable, Logger, OnApplicationShutdown, BeforeApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { MarketTrade, nonMarketReason, priceMessageOfTrade } from '@cryptostream/market-data';
import { DeadLetter, encodeDeadLetter, encodeSourceProgress, encodeSourceProgressOfSymbols, parsePriceMessage, PriceSource, SourceProgress, withPayloadCut } from '@cryptostream/schema';
import type { Kafka } from 'kafkajs';
import { RegisteredSchemas } from '../schemas/registered-schemas.service';
import { INGESTOR_CONFIG } from '../config/config.module';
import { IngestorConfig } from '../config/ingestor-config';
import { IngestorMetrics } from '../metrics/ingestor.metrics';
import { ContractSizes } from './contract-sizes.service';
import { KAFKA } from './kafka.provider';
import { MessageBatcher } from './message-batcher';
import { ProducerConnection } from './producer-connection';
import { RefusalTolerantSender } from './refusal-tolerant.sender';
import { RefusedMessageDeadLetters } from './refused-message.dead-letters';

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

/** At most this many symbols in one source-progress record (~30 bytes each): far below any topic's max.message.bytes. */
export const SYMBOLS_PER_PROGRESS_RECORD = 1_000;

/**
 * Publishes price messages to the price topic, keyed by symbol, and everything that fails
 * validation to the dead-letter topic with its reason, in batches ({@link MessageBatcher}). The
 * producer connects in the background ({@link ProducerConnection}: the process stays up and
 * reports not-ready while Kafka is unreachable); batches go out through a
 * {@link RefusalTolerantSender}, which dead-letters what the broker refuses
 * ({@link RefusedMessageDeadLetters}); flushes on shutdown.
 */
@Injectable()
export class PricePublisher implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  readonly #logger = new Logger(PricePublisher.name);
  readonly #connection: ProducerConnection;
  readonly #batcher: MessageBatcher;
  /** Why the last send failed, until one succeeds or the producer connects. */
  #sendProblem: string | undefined;
  #ready: Promise<void> | undefined;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(INGESTOR_CONFIG) private readonly config: IngestorConfig,
    private readonly metrics: IngestorMetrics,
    private readonly contractSizes: ContractSizes,
    schemas: RegisteredSchemas,
  ) {
    const { deadLetterTopic } = config.kafka;
    this.#connection = new ProducerConnection(kafka, config.kafka, this.#logger, () => (this.#sendProblem = undefined));
    const refused = new RefusedMessageDeadLetters(this.#connection, deadLetterTopic, () => schemas.headersOf(deadLetterTopic, 'dead-letter'), () => metrics.invalid.inc({ source: 'kafka-refused' }), this.#logger);
    const sender = new RefusalTolerantSender(this.#connection, {
      deadLetterTopic,
      headersOf: (topic, kind) => schemas.headersOf(topic, kind),
      refused,
      onPublished: (symbol) => metrics.published.inc({ symbol }),
    });
    this.#batcher = new MessageBatcher({
      batchSize: config.kafka.batchSize,
      lingerMs: config.kafka.lingerMs,
      send: async (batch) => {
        await sender.send(batch);
        this.#sendProblem = undefined;
      },
      onSendError: (error, attempt) => {
        this.metrics.sendErrors.inc();
        this.#sendProblem = `Kafka send failing (attempt ${attempt}): ${(error as Error).message}`;
        this.#logger.warn(this.#sendProblem);
      },
    });
  }

  onModuleInit(): void {
    this.#ready = this.#connection.connect();
  }

  /** Resolves once the topics exist and the producer is connected. */
  whenReady(): Promise<void> {
    return this.#ready ?? Promise.resolve();
  }

  state(): PublisherState {
    if (!this.#connection.connected) return { connected: false, reason: this.#connection.problem ?? 'Kafka disconnected' };
    return this.#sendProblem === undefined ? { connected: true } : { connected: false, reason: this.#sendProblem };
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
    const fields = parsePriceMessage(message);
    return typeof fields === 'string' ? { ok: false, reason: fields } : { ok: true };
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
    const fields = parsePriceMessage(message);
    if (typeof fields === 'string') return this.deadLetter(fields, value, source, origin);
    const symbol = fields.symbol;
    await this.#batcher.add({ topic: this.config.kafka.topic, key: symbol, value, symbol });
    return 'published';
  }

  /**
   * Queues a round of source-progress records on the price topic: one per partition (a few past
   * {@link SYMBOLS_PER_PROGRESS_RECORD} symbols), sent to it explicitly, naming the symbols whose
   * trades it carries (the producer's partitioner applied to each symbol), so that each symbol's
   * word follows every trade of it queued before, on its partition; the record's atMs is its
   * symbols' earliest. While the topic's partition count is not known: one record per symbol,
   * keyed by it like the trades.
   */
  async publishProgress(progress: readonly Omit<SourceProgress, 'kind'>[]): Promise<void> {
    const { topic } = this.config.kafka;
    const byPartition = new Map<number, Omit<SourceProgress, 'kind'>[]>();
    for (const each of progress) {
      const partition = this.#connection.partitionOf(topic, each.symbol);
      if (partition === undefined) {
        await this.#batcher.add({ topic, key: each.symbol, value: encodeSourceProgress(each) });
        continue;
      }
      const symbols = byPartition.get(partition);
      if (symbols === undefined) byPartition.set(partition, [each]);
      else symbols.push(each);
    }
    for (const [partition, symbols] of byPartition) {
      for (let from = 0; from < symbols.length; from += SYMBOLS_PER_PROGRESS_RECORD) {
        const part = symbols.slice(from, from + SYMBOLS_PER_PROGRESS_RECORD);
        const atMs = part.reduce((earliest, each) => Math.min(earliest, each.atMs), Number.POSITIVE_INFINITY);
        await this.#batcher.add({ topic, key: null, partition, value: encodeSourceProgressOfSymbols(atMs, part) });
      }
    }
  }

  /** Sends a raw payload to the dead-letter topic with the reason it was rejected. */
  async deadLetter(reason: string, payload: string, source: string, origin?: Origin): Promise<'dead-lettered'> {
    this.metrics.invalid.inc({ source });
    const letter = withPayloadCut({ reason, payload, rejectedBy: 'ingestor', rejectedAtMs: Date.now(), ...(origin ? { origin } : {}) });
    await this.#batcher.add({ topic: this.config.kafka.deadLetterTopic, key: null, value: encodeDeadLetter(letter) });
    return 'dead-lettered';
  }

  /** Sends everything queued so far. */
  async flush(): Promise<void> {
    await this.#batcher.flush();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.#connection.stopConnecting();
    const queued = this.#batcher.queued;
    const lost = await this.#batcher.flush(Date.now() + SHUTDOWN_FLUSH_MS);
    if (lost > 0) this.#logger.error(`shutdown: ${lost} messages could not be sent to Kafka within ${SHUTDOWN_FLUSH_MS} ms`);
    else this.#logger.log(`shutdown: flushed ${queued} queued messages to Kafka`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.#connection.close();
  }
}
