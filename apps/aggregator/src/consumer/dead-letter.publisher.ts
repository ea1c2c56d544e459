import { encodeDeadLetter } from '@cryptostream/schema';
import type { Producer } from 'kafkajs';
import type { RejectedRecord } from '../windows/partition-windows';

/** Publishes rejected records to the dead-letter topic: raw payload, reason and origin. */
export class DeadLetterPublisher {
  constructor(
    private readonly producer: Producer,
    private readonly deadLetterTopic: string,
  ) {}

  /** Resolves once every replica has the letters (acks -1), so that progress may move past them. */
  async publish(topic: string, partition: number, rejected: readonly RejectedRecord[]): Promise<void> {
    const rejectedAtMs = Date.now();
    await this.producer.send({
      topic: this.deadLetterTopic,
      acks: -1,
      messages: rejected.map(({ record, reason }) => ({
        key: record.key ?? null,
        value: encodeDeadLetter({
          reason,
          payload: record.value?.toString('utf8') ?? '',
          rejectedBy: 'aggregator',
          rejectedAtMs,
          origin: { topic, partition, offset: record.offset },
        }),
      })),
    });
  }
}
