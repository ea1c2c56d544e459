import { Module } from '@nestjs/common';
import { INGESTOR_CONFIG } from '../config/config.module';
import { IngestorConfig } from '../config/ingestor-config';
import { IngestorMetrics } from '../metrics/ingestor.metrics';
import { PricePublisher } from '../publisher/price.publisher';
import { PublisherModule } from '../publisher/publisher.module';
import { KAFKA } from '../publisher/kafka.provider';
import type { Kafka } from 'kafkajs';
import { BinanceRestClient } from './binance/binance-rest.client';
import { LakeSource } from './lake.source';
import { ReplaySource } from './replay.source';
import { RestSource } from './rest.source';
import { SourceRunner } from './source.runner';
import { TradeRecorder } from './trade.recorder';
import { TRADE_SOURCE, TradeSource } from './trade-source';
import { WsSource } from './ws.source';

/** Builds the source `INGESTOR_SOURCE` names. */
function createSource(config: IngestorConfig, publisher: PricePublisher, metrics: IngestorMetrics, recorder: TradeRecorder, kafka: Kafka): TradeSource {
  switch (config.source) {
    case 'replay':
      return new ReplaySource(config.replay, publisher, metrics);
    case 'lake':
      return new LakeSource(config, publisher, metrics);
    case 'rest':
      return new RestSource(config, publisher, metrics, new BinanceRestClient(config.binance, metrics), recorder);
    case 'ws':
      return new WsSource(config, publisher, metrics, new BinanceRestClient(config.binance, metrics), recorder, kafka);
  }
}

@Module({
  imports: [PublisherModule],
  providers: [
    TradeRecorder,
    { provide: TRADE_SOURCE, inject: [INGESTOR_CONFIG, PricePublisher, IngestorMetrics, TradeRecorder, KAFKA], useFactory: createSource },
    SourceRunner,
  ],
  exports: [TRADE_SOURCE],
})
export class SourceModule {}
