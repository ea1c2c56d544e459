import { DeadLetter, decodeDeadLetter } from '@cryptostream/schema';
import type { Kafka } from 'kafkajs';
import { readToEnd } from './read-to-end';

/** One record of the dead-letter topic: where it sits, and the letter (or why it is not one). */
export interface StoredLetter {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly letter: DeadLetter;
}

/**
 * Every record of the dead-letter topic up to its end when the call starts, in partition and
 * offset order.
 */
export async function readDeadLetters(kafka: Kafka, topic: string, timeoutMs = 60_000): Promise<StoredLetter[]> {
  const letters: StoredLetter[] = [];
  await readToEnd(kafka, topic, (message, partition) => {
    letters.push({ partition, offset: message.offset, key: message.key?.toString() ?? null, letter: letterOf(message.value?.toString() ?? '') });
  }, { groupPrefix: 'dlq-cli', timeoutMs });
  return letters.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
}

/** A record that is not a dead letter (written by hand, say) is shown as one, with the reason. */
function letterOf(value: string): DeadLetter {
  const letter = decodeDeadLetter(value);
  if (typeof letter !== 'string') return letter;
  return { reason: `not a dead letter (${letter})`, payload: value, rejectedBy: 'unknown', rejectedAtMs: 0 };
}
