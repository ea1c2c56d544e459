import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ConsumerModule } from '../consumer/consumer.module';
import { PersistenceModule } from '../persistence/persistence.module';
import { HealthController } from './health.controller';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), ConsumerModule, PersistenceModule],
  controllers: [HealthController],
})
export class HealthModule {}
