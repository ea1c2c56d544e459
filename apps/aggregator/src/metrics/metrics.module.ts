import { Global, Module } from '@nestjs/common';
import { AggregatorMetrics } from './aggregator.metrics';
import { MetricsController } from './metrics.controller';

@Global()
@Module({ providers: [AggregatorMetrics], controllers: [MetricsController], exports: [AggregatorMetrics] })
export class MetricsModule {}
