import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { PersistenceModule } from '../persistence/persistence.module';
import { WindowUpdatesModule } from '../updates/window-updates.module';
import { WindowsModule } from '../windows/windows.module';
import { SchemasModule } from '../schemas/schemas.module';
import { ActiveConsumer } from './active-consumer';
import { backpressureProvider } from './backpressure';
import { BatchRunner } from './batch.runner';
import { clockProvider } from './clock.provider';
import { ConsumerReadiness } from './consumer-readiness';
import { DEAD_LETTERS } from './dead-letters';
import { GracefulShutdown } from './graceful-shutdown.service';
import { KafkaDeadLetters } from './kafka-dead-letters';
import { KafkaBatchServer } from './kafka-batch.server';
import { KafkaHealthIndicator } from './kafka.health';
import { offsetMirrorProvider } from './offset-mirror';
import { PricesController } from './prices.controller';

/**
 * The Kafka side: the batch transport (batches in, acknowledgements out), the runner that applies
 * the windows' decisions through providers of their own (dead letters, offset commits, pauses),
 * health, graceful stop.
 */
@Module({
  imports: [WindowsModule, PersistenceModule, TerminusModule, WindowUpdatesModule, SchemasModule],
  controllers: [PricesController],
  providers: [
    KafkaBatchServer,
    ConsumerReadiness,
    ActiveConsumer,
    { provide: DEAD_LETTERS, useClass: KafkaDeadLetters },
    offsetMirrorProvider,
    backpressureProvider,
    clockProvider,
    BatchRunner,
    KafkaHealthIndicator,
    GracefulShutdown,
  ],
  exports: [KafkaBatchServer, KafkaHealthIndicator],
})
export class ConsumerModule {}
