import { Global, Module } from '@nestjs/common';
import { ArchiverMetrics } from './archiver.metrics';
import { MetricsController } from './metrics.controller';

@Global()
@Module({ providers: [ArchiverMetrics], controllers: [MetricsController], exports: [ArchiverMetrics] })
export class MetricsModule {}
