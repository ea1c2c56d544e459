import { DEFAULT_MAX_MESSAGE_BYTES, recordBytes, splitWithinLimits } from '@cryptostream/kafka-io';
import { fittedDeadLetters } from '@cryptostream/schema';
import type { Producer } from 'kafkajs';
import type { SchemaIdHeaders } from '@cryptostream/schema-registry';
import type { RejectedRecord } from '../windows/partition-windows';

/**
 * Publishes rejected records to the dead-letter topic: raw payload, reason and origin. A letter
 * the broker would refuse would fail its batch again and again (the partition stalls behind it):
 * payloads are cut to 16 KiB (1 KiB for a topic that takes less), and the letters of a batch go
 * in requests that stay within the topic's `max.message.bytes`.
 */
export class DeadLetterPublisher {
  constructor(
    private readonly producer: Producer,
    private readonly deadLetterTopic: string,
    private readonly maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES,
    /** The schema id header of a dead letter (throws, retriable, until the schema is registered); none without a registry. */
    private readonly headersOf: () => SchemaIdHeaders | undefined = () => undefined,
  ) {}

  /** Resolves once every replica has the letters (acks -1), so that progress may move past them. */
  async publish(topic: string, partition: number, rejected: readonly RejectedRecord[]): Promise<void> {
    const rejectedAtMs = Date.now();
    const letters = rejected.map(({ record, reason }) => {
      const letter = { reason, payload: record.value?.toString('utf8') ?? '', rejectedBy: 'aggregator', rejectedAtMs, origin: { topic, partition, offset: record.offset } };
      const key = record.key?.toString() ?? null;
      const [value] = fittedDeadLetters(letter, (text) => recordBytes({ topic: this.deadLetterTopic, key, value: text }) <= this.maxMessageBytes);
      if (value === undefined) throw new Error(`${this.deadLetterTopic} takes at most ${this.maxMessageBytes} bytes a message: too little for a dead letter`);
      return { topic: this.deadLetterTopic, key, value };
    });
    const headers = this.headersOf();
    const { runs } = splitWithinLimits(letters, () => this.maxMessageBytes);
    for (const run of runs) {
      await this.producer.send({ topic: this.deadLetterTopic, acks: -1, messages: run.map(({ key, value }) => (headers ? { key, value, headers } : { key, value })) });
    }
  }
}
