import { SchemaRegistryHealthIndicator } from '@cryptostream/schema-registry';
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ConsumerModule } from '../consumer/consumer.module';
import { PersistenceModule } from '../persistence/persistence.module';
import { SchemasModule } from '../schemas/schemas.module';
import { HealthController } from './health.controller';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), ConsumerModule, PersistenceModule, SchemasModule],
  controllers: [HealthController],
  providers: [SchemaRegistryHealthIndicator],
})
export class HealthModule {}
