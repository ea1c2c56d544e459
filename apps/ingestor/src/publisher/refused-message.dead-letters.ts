import { recordBytes } from '@cryptostream/kafka-io';
import { DeadLetter, fittedDeadLetters } from '@cryptostream/schema';
import type { SchemaIdHeaders } from '@cryptostream/schema-registry';
import type { Logger } from '@nestjs/common';
import { refusalOf } from './broker-refusal';
import type { OutgoingMessage } from './message-batcher';
import type { ProducerConnection } from './producer-connection';

/**
 * Messages the broker refused (or would) for their data, to the dead-letter topic at once (not
 * through the batcher, which waits for the send that met the refusal), the payload cut shorter if
 * the letter is too large too; a message no topic takes, even cut short, is dropped with an error.
 */
export class RefusedMessageDeadLetters {
  constructor(
    private readonly connection: ProducerConnection,
    private readonly deadLetterTopic: string,
    /** The schema id header of a dead letter (throws, retriable, until the schema is registered). */
    private readonly headersOf: () => SchemaIdHeaders | undefined,
    private readonly onRefused: () => void,
    private readonly logger: Pick<Logger, 'warn' | 'error'>,
  ) {}

  async deadLetter(message: OutgoingMessage, refusal: string): Promise<void> {
    const topic = this.deadLetterTopic;
    this.onRefused();
    this.logger.warn(`Kafka refused a message for ${message.topic} (${refusal}): dead-lettering it`);
    const { key } = message;
    for (const value of fittedDeadLetters(refusedLetter(message, refusal, topic), (text) => recordBytes({ topic, key, value: text }) <= this.connection.limitOf(topic))) {
      try {
        const headers = this.headersOf();
        await this.connection.producer.send({ topic, acks: -1, messages: [headers ? { key, value, headers } : { key, value }] });
        return;
      } catch (error) {
        const again = refusalOf(error);
        if (again === undefined) throw error;
        await this.connection.renew();
        this.logger.error(`${topic} refused the dead letter too (${again}) with a letter of ${Buffer.byteLength(value)} bytes`);
      }
    }
    this.logger.error(`dropped a message that no topic takes (even cut short): ${message.value.slice(0, 200)}`);
  }
}

/**
 * The dead letter of a message the broker refused: a price message becomes the payload, a dead
 * letter keeps its own reason and origin and gets the refusal added (`fittedDeadLetters` cuts
 * its payload to fit).
 */
function refusedLetter(message: OutgoingMessage, refusal: string, deadLetterTopic: string): DeadLetter {
  const original = message.topic === deadLetterTopic ? (JSON.parse(message.value) as DeadLetter) : undefined;
  const letter: DeadLetter = {
    ...original,
    reason: original ? `${original.reason}; then refused for the dead-letter topic: ${refusal}` : `refused for ${message.topic}: ${refusal}`,
    payload: original?.payload ?? message.value,
    rejectedBy: original?.rejectedBy ?? 'ingestor',
    rejectedAtMs: original?.rejectedAtMs ?? Date.now(),
  };
  return letter;
}
