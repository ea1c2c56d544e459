import { appLoggerModule } from '@cryptostream/service-runtime';
import { Module } from '@nestjs/common';
import { ARCHIVER_CONFIG } from './config/archiver.config';
import { ConfigModule } from './config/config.module';
import { ConsumerModule } from './consumer/consumer.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';

/** The archiver: Kafka topics in, Parquet files of the lake out (committed in MySQL's manifest), health and metrics over HTTP. */
@Module({
  imports: [ConfigModule, appLoggerModule(ARCHIVER_CONFIG), MetricsModule, ConsumerModule, HealthModule],
})
export class AppModule {}
