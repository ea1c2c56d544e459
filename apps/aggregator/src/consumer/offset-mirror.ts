import type { PartitionProgress } from '@cryptostream/persistence';
import { Logger, Provider } from '@nestjs/common';
import { ActiveConsumer } from './active-consumer';

/**
 * Mirrors progress that MySQL has committed into Kafka's committed offsets (the resume offsets),
 * for lag monitoring only: the truth is in MySQL. One commit at a time; progress that arrives
 * meanwhile is coalesced per partition into the next one. Partitions this instance no longer
 * owns are left to their new owner.
 */
export class OffsetMirror {
  #topic = '';
  #owned = new Set<number>();
  #latest = new Map<number, PartitionProgress>();
  #committing = false;

  constructor(
    private readonly commit: (progress: readonly PartitionProgress[]) => Promise<void>,
    private readonly logger: Pick<Logger, 'debug'>,
  ) {}

  assign(topic: string, partitions: readonly number[]): void {
    this.#topic = topic;
    this.#owned = new Set(partitions);
    this.#latest.clear();
  }

  /** Progress MySQL has just committed. */
  mirror(progress: PartitionProgress): void {
    if (progress.topic !== this.#topic || !this.#owned.has(progress.partition)) return;
    this.#latest.set(progress.partition, progress);
    if (!this.#committing) this.#commitLatest();
  }

  #commitLatest(): void {
    const progress = [...this.#latest.values()];
    this.#latest.clear();
    this.#committing = true;
    this.commit(progress)
      .catch((error: Error) => this.logger.debug(`Kafka offset commit failed: ${error.message}`))
      .finally(() => {
        this.#committing = false;
        if (this.#latest.size > 0) this.#commitLatest();
      });
  }
}

/** The runner's offset mirror, committing through the consumer the transport runs now. */
export const offsetMirrorProvider: Provider = {
  provide: OffsetMirror,
  inject: [ActiveConsumer],
  useFactory: (consumer: ActiveConsumer) => new OffsetMirror((progress) => consumer.commitOffsets(progress), new Logger(OffsetMirror.name)),
};
