import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { TRADE_SOURCE, TradeSource } from './trade-source';

/** Starts the configured source once the app is up and stops it first on shutdown. */
@Injectable()
export class SourceRunner implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(@Inject(TRADE_SOURCE) private readonly source: TradeSource) {}

  onApplicationBootstrap(): void {
    this.source.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.source.stop();
  }
}
