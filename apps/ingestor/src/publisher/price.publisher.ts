import { retry } from '@cryptostream/service-runtime';
import { Inject, Injectable, Logger, OnApplicationShutdown, BeforeApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DEFAULT_MAX_MESSAGE_BYTES, ensureTopics, readMessageLimits, recordBytes, splitWithinLimits } from '@cryptostream/kafka-io';
import { MarketTrade, nonMarketReason, priceMessageOfTrade } from '@cryptostream/market-data';
import {
  CryptostreamError, DeadLetter, encodeDeadLetter, isSourceProgressRecord, RecordKind, encodeSourceProgress, MAX_DEAD_LETTER_PAYLOAD, PriceSource, SHORT_DEAD_LETTER_PAYLOAD, SourceProgress,
  parsePriceMessage, withPayloadCut,
} from '@cryptostream/schema';
import { Admin, Kafka, Message, Partitioners, Producer } from 'kafkajs';
import { RegisteredSchemas } from '../schemas/registered-schemas.service';
import { INGESTOR_CONFIG } from '../config/config.module';
import { IngestorConfig } from '../config/ingestor-config';
import { IngestorMetrics } from '../metrics/ingestor.metrics';
import { ContractSizes } from './contract-sizes.service';
import { KAFKA, PRODUCER_RETRY } from './kafka.provider';
import { MessageBatcher, OutgoingMessage } from './message-batcher';
import { refusalOf, sendIsolatingRefused } from './broker-refusal';

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


/**
 * Publishes price messages to the price topic, keyed by symbol, and everything that fails
 * validation to the dead-letter topic with its reason. Connects in the background (the process
 * stays up and reports not-ready while Kafka is unreachable); flushes on shutdown.
 */
@Injectable()
export class PricePublisher implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  readonly #logger = new Logger(PricePublisher.name);
  #producer: Producer;
  readonly #batcher: MessageBatcher;
  #connected = false;
  #problem: string | undefined = 'connecting to Kafka';
  /** Why the producer is not connected (what a send says while it is not), apart from send failures. */
  #connectionProblem: string | undefined = 'connecting to Kafka';
  #ready: Promise<void> | undefined;
  /** Aborted at shutdown: stops the connection attempts and their backoff at once. */
  readonly #stopping = new AbortController();
  /** The admin client of a connection attempt in progress. */
  #connecting: Admin | undefined;
  /** Messages of a batch being retried that went out already (sent or dead-lettered): not twice. */
  readonly #delivered = new WeakSet<OutgoingMessage>();
  /** Each topic's `max.message.bytes`, read at connect. */
  #messageLimits = new Map<string, number>();

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(INGESTOR_CONFIG) private readonly config: IngestorConfig,
    private readonly metrics: IngestorMetrics,
    private readonly contractSizes: ContractSizes,
    private readonly schemas: RegisteredSchemas,
  ) {
    this.#producer = this.#createProducer();
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
   * Queues a source-progress record on the price topic, keyed by its symbol like the trades, so
   * that it follows every trade queued before it on the symbol's partition.
   */
  async publishProgress(progress: Omit<SourceProgress, 'kind'>): Promise<void> {
    await this.#batcher.add({ topic: this.config.kafka.topic, key: progress.symbol, value: encodeSourceProgress(progress) });
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
    this.#stopping.abort(new Error('shutting down'));
    const queued = this.#batcher.queued;
    const lost = await this.#batcher.flush(Date.now() + SHUTDOWN_FLUSH_MS);
    if (lost > 0) this.#logger.error(`shutdown: ${lost} messages could not be sent to Kafka within ${SHUTDOWN_FLUSH_MS} ms`);
    else this.#logger.log(`shutdown: flushed ${queued} queued messages to Kafka`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.#stopping.abort(new Error('shutting down'));
    this.#connected = false;
    this.#problem = 'shutting down';
    await this.#connecting?.disconnect().catch(() => undefined);
    await this.#producer.disconnect().catch(() => undefined);
  }

  /** Connects in the background, retrying with backoff until it succeeds or the app stops. */
  async #connect(): Promise<void> {
    const { signal } = this.#stopping;
    const brokers = this.config.kafka.brokers.join(',');
    await retry(() => this.#connectOnce(signal), {
      baseMs: 500,
      maxMs: 10_000,
      signal,
      onRetry: (error, attempt) => {
        this.#problem = this.#connectionProblem = `cannot reach Kafka ${brokers}: ${(error as Error).message}`;
        this.#logger.warn(`${this.#problem} (attempt ${attempt}, retrying)`);
      },
    }).catch((error: unknown) => {
      if (signal.aborted) return;
      // Not retriable (a topic that contradicts the settings): stay unready and say why.
      this.#problem = this.#connectionProblem = `cannot use Kafka ${brokers}: ${(error as Error).message}`;
      this.#logger.error(this.#problem);
    });
  }

  async #connectOnce(signal: AbortSignal): Promise<void> {
    // Few retries per attempt: #connect retries with its own (interruptible) backoff.
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
        this.#messageLimits = await readMessageLimits(admin, [this.config.kafka.topic, this.config.kafka.deadLetterTopic]).catch((error: Error) => {
          this.#logger.warn(`cannot read the topics' max.message.bytes (${error.message}): assuming Kafka's default`);
          return new Map<string, number>();
        });
      } finally {
        await admin.disconnect();
      }
      if (signal.aborted) return;
      await this.#producer.connect();
      this.#connected = true;
      this.#problem = this.#connectionProblem = undefined;
      this.#logger.log(`connected to Kafka ${this.config.kafka.brokers.join(',')}`);
    } finally {
      this.#connecting = undefined;
    }
  }

  /**
   * Sends a batch. A message the broker refuses for its data (too large, say) is dead-lettered
   * with the reason instead of holding the batch back forever; anything else throws, and the
   * batcher retries what has not gone out yet.
   */
  async #send(batch: readonly OutgoingMessage[]): Promise<void> {
    if (!this.#connected) throw new CryptostreamError(this.#connectionProblem ?? 'not connected to Kafka', { retriable: true });
    const delivered = (part: readonly OutgoingMessage[]) => {
      for (const message of part) this.#delivered.add(message);
    };
    const pending = batch.filter((message) => !this.#delivered.has(message));
    // Sized to the topics' limits first: the broker would refuse a larger record batch, and a
    // refusal of one partition of a request leaves the idempotent producer's sequences unsure.
    const { runs, oversized } = splitWithinLimits(pending, (topic) => this.#limitOf(topic));
    for (const message of oversized) {
      await this.#deadLetterRefused(message, `MESSAGE_TOO_LARGE: ${recordBytes(message)} bytes, past max.message.bytes of ${message.topic} (${this.#limitOf(message.topic)})`);
      delivered([message]);
    }
    for (const run of runs) {
      await sendIsolatingRefused(run, (part) => this.#sendBatch(part), (message, reason) => this.#deadLetterRefused(message, reason), delivered);
    }
    this.#connected = true;
    this.#problem = this.#connectionProblem = undefined;
  }

  #limitOf(topic: string): number {
    return this.#messageLimits.get(topic) ?? DEFAULT_MAX_MESSAGE_BYTES;
  }

  #createProducer(): Producer {
    return this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner, retry: PRODUCER_RETRY });
  }

  async #sendBatch(part: readonly OutgoingMessage[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const { topic, key, value } of part) {
      const messages = byTopic.get(topic) ?? [];
      // Throws (retriable) until the schemas are registered: the batcher sends the batch again.
      const headers = this.schemas.headersOf(topic, this.#kindOf(topic, value));
      messages.push(headers ? { key, value, headers } : { key, value });
      byTopic.set(topic, messages);
    }
    try {
      await this.#producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    } catch (error) {
      if (refusalOf(error) !== undefined) await this.#renewProducer();
      throw error;
    }
    for (const message of part) if (message.symbol !== undefined) this.metrics.published.inc({ symbol: message.symbol });
  }

  #kindOf(topic: string, value: string): RecordKind {
    if (topic === this.config.kafka.deadLetterTopic) return 'dead-letter';
    return isSourceProgressRecord(value) ? 'source-progress' : 'trade';
  }

  /**
   * After a refusal the broker may have appended the request's other partitions while kafkajs
   * rolled their sequence numbers back: the next send would be out of order. A new producer
   * (a new producer id) starts clean; those partitions' messages may then be sent twice, which
   * the aggregator's trade-id check makes harmless.
   */
  async #renewProducer(): Promise<void> {
    const old = this.#producer;
    this.#producer = this.#createProducer();
    await old.disconnect().catch(() => undefined);
    await this.#producer.connect();
  }

  /**
   * A message the broker refused (or would): to the dead-letter topic at once (not through the
   * batcher, which waits for this send), its payload cut shorter if the letter is too large too.
   */
  async #deadLetterRefused(message: OutgoingMessage, refusal: string): Promise<void> {
    const topic = this.config.kafka.deadLetterTopic;
    this.metrics.invalid.inc({ source: 'kafka-refused' });
    this.#logger.warn(`Kafka refused a message for ${message.topic} (${refusal}): dead-lettering it`);
    for (const maxPayload of [MAX_DEAD_LETTER_PAYLOAD, SHORT_DEAD_LETTER_PAYLOAD]) {
      const letter = refusedLetter(message, refusal, topic, maxPayload);
      if (recordBytes({ topic, ...letter }) > this.#limitOf(topic)) continue;
      try {
        const headers = this.schemas.headersOf(topic, 'dead-letter');
        await this.#producer.send({ topic, acks: -1, messages: [headers ? { ...letter, headers } : letter] });
        return;
      } catch (error) {
        const again = refusalOf(error);
        if (again === undefined) throw error;
        await this.#renewProducer();
        this.#logger.error(`${topic} refused the dead letter too (${again}) with a payload of up to ${maxPayload} characters`);
      }
    }
    this.#logger.error(`dropped a message that no topic takes (even cut short): ${message.value.slice(0, 200)}`);
  }
}

/**
 * The dead letter of a message the broker refused: a price message becomes the payload, a dead
 * letter keeps its own reason and origin and gets the refusal added. Payloads past `maxPayload`
 * characters are cut, and the reason says so.
 */
function refusedLetter(message: OutgoingMessage, refusal: string, deadLetterTopic: string, maxPayload: number): { key: string | null; value: string } {
  const original = message.topic === deadLetterTopic ? (JSON.parse(message.value) as DeadLetter) : undefined;
  const letter: DeadLetter = {
    ...original,
    reason: original ? `${original.reason}; then refused for the dead-letter topic: ${refusal}` : `refused for ${message.topic}: ${refusal}`,
    payload: original?.payload ?? message.value,
    rejectedBy: original?.rejectedBy ?? 'ingestor',
    rejectedAtMs: original?.rejectedAtMs ?? Date.now(),
  };
  return { key: message.key, value: encodeDeadLetter(withPayloadCut(letter, maxPayload)) };
}
