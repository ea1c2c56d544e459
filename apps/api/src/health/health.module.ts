import { SchemaRegistryHealthIndicator } from '@cryptostream/schema-registry';
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LiveModule } from '../live/live.module';
import { SchemasModule } from '../schemas/schemas.module';
import { HealthController } from './health.controller';
import { KafkaHealthIndicator } from './kafka.health';
import { MysqlHealthIndicator } from './mysql.health';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), LiveModule, SchemasModule],
  controllers: [HealthController],
  providers: [KafkaHealthIndicator, MysqlHealthIndicator, SchemaRegistryHealthIndicator],
})
export class HealthModule {}
