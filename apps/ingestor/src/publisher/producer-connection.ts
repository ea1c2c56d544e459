import { DEFAULT_MAX_MESSAGE_BYTES, ensureTopics, readMessageLimits, TopicReplication } from '@cryptostream/kafka-io';
import { retry } from '@cryptostream/service-runtime';
import type { Logger } from '@nestjs/common';
import { Admin, ICustomPartitioner, Kafka, PartitionerArgs, PartitionMetadata, Partitioners, Producer } from 'kafkajs';
import { PRODUCER_RETRY } from './kafka.provider';

/** The topics the ingestor writes and how to create them. */
export interface PublishedTopics {
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly topicPartitions: number;
  readonly replication: TopicReplication;
  /** For messages only (`KAFKA_BROKERS`). */
  readonly brokers: readonly string[];
}

/**
 * The ingestor's idempotent producer and its connection: the topics created when missing, their
 * `max.message.bytes` read, the producer connected — in the background, retrying with backoff
 * (the process stays up and says why it is not ready) until it succeeds or {@link close}.
 */
export class ProducerConnection {
  #producer: Producer;
  #connected = false;
  /** Why the producer is not connected, or undefined once it is. */
  #problem: string | undefined = 'connecting to Kafka';
  /** Aborted by close: stops the connection attempts and their backoff at once. */
  readonly #stopping = new AbortController();
  /** The admin client of a connection attempt in progress. */
  #connecting: Admin | undefined;
  /** Each topic's `max.message.bytes`, read at connect. */
  #messageLimits = new Map<string, number>();
  /** Each topic's partition count: read at connect, then as the producer's partitioner last saw it. */
  readonly #partitionCounts = new Map<string, number>();
  /** The producer's partitioner (kafkajs's default: murmur2 of the key), for {@link partitionOf}. */
  readonly #partitioner = Partitioners.DefaultPartitioner();
  /** Stand-in metadata of {@link partitionOf}: a keyed message's partition depends on the count only. */
  #metadata: PartitionMetadata[] = [];

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: PublishedTopics,
    private readonly logger: Pick<Logger, 'log' | 'warn' | 'error'>,
    /** Called once connected, to clear what failed before. */
    private readonly onConnected: () => void = () => undefined,
  ) {
    this.#producer = this.#createProducer();
  }

  /** The producer to send with (a new one after {@link renew}). */
  get producer(): Producer {
    return this.#producer;
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** Why the producer is not connected (what a send says while it is not), or undefined. */
  get problem(): string | undefined {
    return this.#problem;
  }

  /** A topic's `max.message.bytes` (Kafka's default when it could not be read). */
  limitOf(topic: string): number {
    return this.#messageLimits.get(topic) ?? DEFAULT_MAX_MESSAGE_BYTES;
  }

  /**
   * The partition the producer sends a message keyed `key` on `topic` to, or undefined while the
   * topic's partition count is not known: its partitioner, on the partition count it used last.
   */
  partitionOf(topic: string, key: string): number | undefined {
    const count = this.#partitionCounts.get(topic);
    if (count === undefined) return undefined;
    if (this.#metadata.length !== count) {
      this.#metadata = Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [], isr: [] }));
    }
    return this.#partitioner({ topic, partitionMetadata: this.#metadata, message: { key, value: null } });
  }

  /** Connects, retrying with backoff until it succeeds or the connection is closed; never rejects. */
  async connect(): Promise<void> {
    const { signal } = this.#stopping;
    const brokers = this.topics.brokers.join(',');
    await retry(() => this.#connectOnce(signal), {
      baseMs: 500,
      maxMs: 10_000,
      signal,
      onRetry: (error, attempt) => {
        this.#problem = `cannot reach Kafka ${brokers}: ${(error as Error).message}`;
        this.logger.warn(`${this.#problem} (attempt ${attempt}, retrying)`);
      },
    }).catch((error: unknown) => {
      if (signal.aborted) return;
      // Not retriable (a topic that contradicts the settings): stay unready and say why.
      this.#problem = `cannot use Kafka ${brokers}: ${(error as Error).message}`;
      this.logger.error(this.#problem);
    });
  }

  /** Ends connection attempts at once (shutdown); the producer keeps sending until {@link close}. */
  stopConnecting(): void {
    this.#stopping.abort(new Error('shutting down'));
  }

  async close(): Promise<void> {
    this.stopConnecting();
    this.#connected = false;
    this.#problem = 'shutting down';
    await this.#connecting?.disconnect().catch(() => undefined);
    await this.#producer.disconnect().catch(() => undefined);
  }

  /**
   * After a refusal the broker may have appended the request's other partitions while kafkajs
   * rolled their sequence numbers back: the next send would be out of order. A new producer
   * (a new producer id) starts clean; those partitions' messages may then be sent twice, which
   * the aggregator's trade-id check makes harmless.
   */
  async renew(): Promise<void> {
    const old = this.#producer;
    this.#producer = this.#createProducer();
    await old.disconnect().catch(() => undefined);
    await this.#producer.connect();
  }

  async #connectOnce(signal: AbortSignal): Promise<void> {
    const { topic, deadLetterTopic, topicPartitions, replication } = this.topics;
    // Few retries per attempt: connect retries with its own (interruptible) backoff.
    const admin = this.kafka.admin({ retry: { retries: 2, initialRetryTime: 200 } });
    this.#connecting = admin;
    try {
      await admin.connect();
      try {
        const created = await ensureTopics(admin, [
          { topic, numPartitions: topicPartitions },
          { topic: deadLetterTopic, numPartitions: topicPartitions },
        ], replication);
        if (created.length > 0) this.logger.log(`created topics ${created.join(', ')}`);
        this.#messageLimits = await readMessageLimits(admin, [topic, deadLetterTopic]).catch((error: Error) => {
          this.logger.warn(`cannot read the topics' max.message.bytes (${error.message}): assuming Kafka's default`);
          return new Map<string, number>();
        });
        await admin.fetchTopicMetadata({ topics: [topic] }).then(
          ({ topics }) => topics.forEach(({ name, partitions }) => this.#partitionCounts.set(name, partitions.length)),
          (error: Error) => this.logger.warn(`cannot read the partitions of ${topic} (${error.message}): source progress per symbol until the producer has sent`),
        );
      } finally {
        await admin.disconnect();
      }
      if (signal.aborted) return;
      await this.#producer.connect();
      this.#connected = true;
      this.#problem = undefined;
      this.onConnected();
      this.logger.log(`connected to Kafka ${this.topics.brokers.join(',')}`);
    } finally {
      this.#connecting = undefined;
    }
  }

  #createProducer(): Producer {
    return this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: this.#observingPartitioner, retry: PRODUCER_RETRY });
  }

  /** kafkajs's default partitioner, noting each topic's partition count as the producer's metadata has it. */
  readonly #observingPartitioner: ICustomPartitioner = () => (args: PartitionerArgs) => {
    const count = args.partitionMetadata.length;
    if (this.#partitionCounts.get(args.topic) !== count) this.#partitionCounts.set(args.topic, count);
    return this.#partitioner(args);
  };
}
