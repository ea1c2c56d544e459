import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ConsumerModule } from '../consumer/consumer.module';
import { PersistenceModule } from '../persistence/persistence.module';
import { HealthController } from './health.controller';
import { SchemasModule } from '../schemas/schemas.module';
import { SchemaRegistryHealthIndicator } from '@cryptostream/schema-registry';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), ConsumerModule, PersistenceModule, SchemasModule],
  providers: [SchemaRegistryHealthIndicator],
  controllers: [HealthController],
})
export class HealthModule {}
