import { DynamicModule, Module } from '@nestjs/common';
import { appLoggerModule } from '@cryptostream/service-runtime';
import { ConfigModule, INGESTOR_CONFIG } from '../config/config.module';
import { Env } from '../config/ingestor-config.loader';
import { HealthModule } from '../health/health.module';
import { MetricsModule } from '../metrics/metrics.module';
import { PublisherModule } from '../publisher/publisher.module';
import { SourceModule } from '../source/source.module';

/** The ingestor: a source feeding the Kafka publisher, with health and metrics endpoints. */
@Module({})
export class AppModule {
  /** `env` defaults to the process environment; tests pass their own settings. */
  static forRoot(env?: Env): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(env), appLoggerModule(INGESTOR_CONFIG), MetricsModule, PublisherModule, SourceModule, HealthModule],
    };
  }
}
