import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { PersistenceModule } from '../persistence/persistence.module';
import { WindowsModule } from '../windows/windows.module';
import { GracefulShutdown } from './graceful-shutdown.service';
import { KafkaBatchServer } from './kafka-batch.server';
import { KafkaHealthIndicator } from './kafka.health';
import { PricesController } from './prices.controller';

/** The Kafka side: the batch transport, its handlers, its health and its graceful stop. */
@Module({
  imports: [WindowsModule, PersistenceModule, TerminusModule],
  controllers: [PricesController],
  providers: [KafkaBatchServer, KafkaHealthIndicator, GracefulShutdown],
  exports: [KafkaBatchServer, KafkaHealthIndicator],
})
export class ConsumerModule {}
