import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { PersistenceModule } from '../persistence/persistence.module';
import { WindowUpdatesModule } from '../updates/window-updates.module';
import { WindowsModule } from '../windows/windows.module';
import { SchemasModule } from '../schemas/schemas.module';
import { BatchRunner } from './batch.runner';
import { clockProvider } from './clock.provider';
import { CONSUMER_CONTROL } from './consumer-control';
import { GracefulShutdown } from './graceful-shutdown.service';
import { KafkaBatchServer } from './kafka-batch.server';
import { KafkaHealthIndicator } from './kafka.health';
import { PricesController } from './prices.controller';

/** The Kafka side: the batch transport, the runner that applies the windows' decisions, health, graceful stop. */
@Module({
  imports: [WindowsModule, PersistenceModule, TerminusModule, WindowUpdatesModule, SchemasModule],
  controllers: [PricesController],
  providers: [
    KafkaBatchServer,
    { provide: CONSUMER_CONTROL, useExisting: KafkaBatchServer },
    clockProvider,
    BatchRunner,
    KafkaHealthIndicator,
    GracefulShutdown,
  ],
  exports: [KafkaBatchServer, KafkaHealthIndicator],
})
export class ConsumerModule {}
