import { Global, Module } from '@nestjs/common';
import { IngestorMetrics } from './ingestor.metrics';
import { MetricsController } from './metrics.controller';

@Global()
@Module({ providers: [IngestorMetrics], controllers: [MetricsController], exports: [IngestorMetrics] })
export class MetricsModule {}
