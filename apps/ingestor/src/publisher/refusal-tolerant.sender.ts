import { CryptostreamError, isSourceProgressRecord, RecordKind } from '@cryptostream/schema';
import type { SchemaIdHeaders } from '@cryptostream/schema-registry';
import { recordBytes, splitWithinLimits } from '@cryptostream/kafka-io';
import type { Message } from 'kafkajs';
import { refusalOf, sendIsolatingRefused } from './broker-refusal';
import type { OutgoingMessage } from './message-batcher';
import type { ProducerConnection } from './producer-connection';
import type { RefusedMessageDeadLetters } from './refused-message.dead-letters';

/** What the sender needs besides the connection. */
export interface RefusalTolerantSenderOptions {
  readonly deadLetterTopic: string;
  /** The schema id header of a record (throws, retriable, until its schema is registered). */
  readonly headersOf: (topic: string, kind: RecordKind) => SchemaIdHeaders | undefined;
  readonly refused: Pick<RefusedMessageDeadLetters, 'deadLetter'>;
  /** A price message reached every replica. */
  readonly onPublished: (symbol: string) => void;
}

/**
 * Sends the batcher's batches. A message the broker refuses for its data (too large, say) goes
 * to the dead-letter topic with the reason instead of holding the batch back forever; anything
 * else throws, and the batcher retries what has not gone out yet (never twice what has).
 */
export class RefusalTolerantSender {
  /** Messages of a batch being retried that went out already (sent or dead-lettered): not twice. */
  readonly #delivered = new WeakSet<OutgoingMessage>();

  constructor(
    private readonly connection: ProducerConnection,
    private readonly options: RefusalTolerantSenderOptions,
  ) {}

  async send(batch: readonly OutgoingMessage[]): Promise<void> {
    if (!this.connection.connected) throw new CryptostreamError(this.connection.problem ?? 'not connected to Kafka', { retriable: true });
    const delivered = (part: readonly OutgoingMessage[]) => {
      for (const message of part) this.#delivered.add(message);
    };
    const pending = batch.filter((message) => !this.#delivered.has(message));
    // Sized to the topics' limits first: the broker would refuse a larger record batch, and a
    // refusal of one partition of a request leaves the idempotent producer's sequences unsure.
    const limitOf = (topic: string) => this.connection.limitOf(topic);
    const { runs, oversized } = splitWithinLimits(pending, limitOf);
    for (const message of oversized) {
      await this.options.refused.deadLetter(message, `MESSAGE_TOO_LARGE: ${recordBytes(message)} bytes, past max.message.bytes of ${message.topic} (${limitOf(message.topic)})`);
      delivered([message]);
    }
    for (const run of runs) {
      await sendIsolatingRefused(run, (part) => this.#sendBatch(part), (message, reason) => this.options.refused.deadLetter(message, reason), delivered);
    }
  }

  async #sendBatch(part: readonly OutgoingMessage[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const { topic, key, value, partition } of part) {
      const messages = byTopic.get(topic) ?? [];
      // Throws (retriable) until the schemas are registered: the batcher sends the batch again.
      const headers = this.options.headersOf(topic, this.#kindOf(topic, value));
      const message: Message = headers ? { key, value, headers } : { key, value };
      if (partition !== undefined) message.partition = partition;
      messages.push(message);
      byTopic.set(topic, messages);
    }
    try {
      await this.connection.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    } catch (error) {
      if (refusalOf(error) !== undefined) await this.connection.renew();
      throw error;
    }
    for (const message of part) if (message.symbol !== undefined) this.options.onPublished(message.symbol);
  }

  #kindOf(topic: string, value: string): RecordKind {
    if (topic === this.options.deadLetterTopic) return 'dead-letter';
    return isSourceProgressRecord(value) ? 'source-progress' : 'trade';
  }
}
