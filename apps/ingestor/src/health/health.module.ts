import { SchemaRegistryHealthIndicator } from '@cryptostream/schema-registry';
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { PublisherModule } from '../publisher/publisher.module';
import { SourceModule } from '../source/source.module';
import { HealthController } from './health.controller';
import { KafkaHealthIndicator } from './kafka.health';
import { SourceHealthIndicator } from './source.health';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), PublisherModule, SourceModule],
  controllers: [HealthController],
  providers: [KafkaHealthIndicator, SourceHealthIndicator, SchemaRegistryHealthIndicator],
})
export class HealthModule {}
