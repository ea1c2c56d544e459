import { appLoggerModule } from '@cryptostream/service-runtime';
import { Module } from '@nestjs/common';
import { AGGREGATOR_CONFIG } from './config/aggregator.config';
import { ConfigModule } from './config/config.module';
import { ConsumerModule } from './consumer/consumer.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';

/** The aggregator: Kafka prices in, exact windows out to MySQL, health and metrics over HTTP. */
@Module({
  imports: [ConfigModule, appLoggerModule(AGGREGATOR_CONFIG), MetricsModule, ConsumerModule, HealthModule],
})
export class AppModule {}
