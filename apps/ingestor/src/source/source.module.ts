import { Module } from '@nestjs/common';
import { INGESTOR_CONFIG } from '../config/config.module';
import { IngestorConfig } from '../config/ingestor-config';
import { IngestorMetrics } from '../metrics/ingestor.metrics';
import { PricePublisher } from '../publisher/price.publisher';
import { PublisherModule } from '../publisher/publisher.module';
import { ReplaySource } from './replay.source';
import { SourceRunner } from './source.runner';
import { TRADE_SOURCE, TradeSource } from './trade-source';

/** Builds the source `INGESTOR_SOURCE` names. */
function createSource(config: IngestorConfig, publisher: PricePublisher, metrics: IngestorMetrics): TradeSource {
  switch (config.source) {
    case 'replay':
      return new ReplaySource(config.replay, publisher, metrics);
    default:
      throw new Error(`INGESTOR_SOURCE=${config.source} is not implemented yet`);
  }
}

@Module({
  imports: [PublisherModule],
  providers: [
    { provide: TRADE_SOURCE, inject: [INGESTOR_CONFIG, PricePublisher, IngestorMetrics], useFactory: createSource },
    SourceRunner,
  ],
  exports: [TRADE_SOURCE],
})
export class SourceModule {}
