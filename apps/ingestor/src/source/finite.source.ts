import { Logger } from '@nestjs/common';
import { PricePublisher } from '../publisher/price.publisher';
import { settleWithin } from './settle-within';
import { SourceStatus, TradeSource } from './trade-source';

const STOP_WAIT_MS = 2000;

/**
 * The lifecycle of a source that publishes a finite sequence once (recorded files, a range of
 * the lake): `start` runs it in the background once the publisher is ready, `stop` asks it to
 * stop and waits up to 2 s; it reports `replaying` with what it does, then `finished` once the
 * publisher has sent everything (the process stays up), or `failed` with the reason.
 */
export abstract class FiniteSource implements TradeSource {
  abstract readonly name: string;
  #status: SourceStatus = { state: 'starting' };
  #stopped = false;
  #run: Promise<void> | undefined;

  protected constructor(
    protected readonly publisher: PricePublisher,
    /** How the logs name the run: `replay`, `lake replay`. */
    private readonly label: string,
    protected readonly logger: Logger,
  ) {}

  status(): SourceStatus {
    return this.#status;
  }

  start(): void {
    this.#run = this.#runOnce().catch((error: unknown) => {
      this.#status = { state: 'failed', detail: (error as Error).message };
      this.logger.error(`${this.label} failed: ${(error as Error).message}`);
    });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await settleWithin(this.#run, STOP_WAIT_MS);
  }

  /** Whether {@link stop} was called: the sequence ends at the next message. */
  protected get stopped(): boolean {
    return this.#stopped;
  }

  protected replaying(detail: string): void {
    this.#status = { state: 'replaying', detail };
  }

  /** Publishes the sequence; returns what it published, for the `finished` status (undefined when stopped). */
  protected abstract publishAll(): Promise<string | undefined>;

  async #runOnce(): Promise<void> {
    await this.publisher.whenReady();
    if (this.#stopped) return;
    const summary = await this.publishAll();
    if (summary === undefined || this.#stopped) return;
    await this.publisher.flush();
    // Stopped while flushing: what is still queued is shutdown's to send, or to report lost.
    if (this.#stopped) return;
    this.#status = { state: 'finished', detail: summary };
    this.logger.log(`${this.label} finished: ${summary}`);
  }
}
