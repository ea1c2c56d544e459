import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ApiMetrics } from './api.metrics';
import { MetricsController } from './metrics.controller';
import { RequestTimingMiddleware } from './request-timing.middleware';

@Global()
@Module({ providers: [ApiMetrics], controllers: [MetricsController], exports: [ApiMetrics] })
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestTimingMiddleware).forRoutes('*path');
  }
}
