import type { PartitionProgress } from '@cryptostream/persistence';
import { Injectable } from '@nestjs/common';
import type { Consumer } from 'kafkajs';

/**
 * The kafkajs consumer the transport runs now: kafkajs gives up on a consumer after some crashes,
 * and the transport replaces it. What acts on the consumer outside a batch (offset commits, the
 * pause of a whole topic) goes through here, so that it reaches the current one; a replacement
 * starts with the topics paused that are paused now, since a pause outlives rebalances.
 */
@Injectable()
export class ActiveConsumer {
  #consumer: Consumer | undefined;
  readonly #pausedTopics = new Set<string>();

  /** Called by the transport once a new consumer runs. */
  replace(consumer: Consumer): void {
    this.#consumer = consumer;
    if (this.#pausedTopics.size > 0) consumer.pause([...this.#pausedTopics].map((topic) => ({ topic })));
  }

  /** Stops fetching every partition of `topic` until {@link resume}. */
  pause(topic: string): void {
    this.#pausedTopics.add(topic);
    this.#consumer?.pause([{ topic }]);
  }

  resume(topic: string): void {
    this.#pausedTopics.delete(topic);
    this.#consumer?.resume([{ topic }]);
  }

  /** Commits resume offsets to Kafka (for lag monitoring; the truth is in MySQL). */
  async commitOffsets(progress: readonly PartitionProgress[]): Promise<void> {
    await this.#consumer?.commitOffsets(progress.map((p) => ({ topic: p.topic, partition: p.partition, offset: String(p.resumeOffset) })));
  }
}
