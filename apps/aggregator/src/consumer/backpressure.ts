import { Logger, Provider } from '@nestjs/common';
import { AGGREGATOR_CONFIG, AggregatorConfig } from '../config/aggregator.config';
import { WindowFlusher } from '../persistence/window-flusher.service';
import { ActiveConsumer } from './active-consumer';
import { CLOCK, Clock } from './clock.provider';

/** The part of the window flusher backpressure watches. */
export interface PendingWindows {
  readonly pendingWindows: number;
  readonly isFull: boolean;
  /** Resolves once reading may resume. */
  whenRoomAgain(): Promise<void>;
}

/**
 * Stops reading the topic while too many closed windows wait for MySQL, and resumes once the
 * flusher has room again. The pause is per topic and outlives rebalances.
 */
export class Backpressure {
  #paused = false;
  #resumedAtMs = 0;

  constructor(
    private readonly pending: PendingWindows,
    private readonly topic: { pauseAll(): void; resumeAll(): void },
    private readonly clock: () => number,
    private readonly logger: Pick<Logger, 'log' | 'warn'>,
  ) {}

  /**
   * Records fetched before this time may predate a pause: nothing counts as idle until a fetch
   * after it (Infinity while paused).
   */
  get readingSinceMs(): number {
    return this.#paused ? Number.POSITIVE_INFINITY : this.#resumedAtMs;
  }

  /** Called after each batch: pauses when the flusher is full. */
  check(): void {
    if (this.#paused || !this.pending.isFull) return;
    this.#paused = true;
    this.logger.warn(`${this.pending.pendingWindows} windows wait for MySQL: pausing all partitions`);
    this.topic.pauseAll();
    void this.pending.whenRoomAgain().then(() => {
      this.#paused = false;
      this.#resumedAtMs = this.clock();
      this.logger.log('MySQL caught up: resuming partitions');
      this.topic.resumeAll();
    });
  }
}

/** The runner's backpressure: the flusher's pending windows pause the prices topic on the consumer the transport runs now. */
export const backpressureProvider: Provider = {
  provide: Backpressure,
  inject: [AGGREGATOR_CONFIG, WindowFlusher, ActiveConsumer, CLOCK],
  useFactory: (config: AggregatorConfig, flusher: WindowFlusher, consumer: ActiveConsumer, clock: Clock) =>
    new Backpressure(flusher, { pauseAll: () => consumer.pause(config.kafkaTopic), resumeAll: () => consumer.resume(config.kafkaTopic) }, clock, new Logger(Backpressure.name)),
};
