import type { RejectedRecord } from '../windows/partition-windows';

/** Where the batch runner sends the records the windows rejected. */
export interface DeadLetters {
  /** Publishes rejected records with their reasons and origin; resolves when every replica has them. */
  publish(topic: string, partition: number, rejected: readonly RejectedRecord[]): Promise<void>;
}

export const DEAD_LETTERS = Symbol('DEAD_LETTERS');
