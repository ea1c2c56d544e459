import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { WindowFlusher } from '../persistence/window-flusher.service';
import { KafkaBatchServer } from './kafka-batch.server';

/**
 * SIGTERM, first step (before Nest closes the transport and the pool): stop fetching, let the
 * batch in progress finish, and write every window that has closed together with its progress.
 * Open windows are not written: the next owner rebuilds them from the stored resume offsets.
 */
@Injectable()
export class GracefulShutdown implements BeforeApplicationShutdown {
  readonly #logger = new Logger(GracefulShutdown.name);

  constructor(
    private readonly server: KafkaBatchServer,
    private readonly flusher: WindowFlusher,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    this.#logger.log('shutting down: stopping the consumer');
    await this.server.stopFetching();
    this.#logger.log('consumer stopped: writing the windows that have closed');
    this.flusher.retryNow();
    await this.flusher.whenDrained();
    this.#logger.log('closed windows and progress are written');
  }
}
