import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ArchiveRunner } from '../archive/archive.runner';
import { lakeArchiveProvider } from '../archive/lake-archive.provider';
import { PersistenceModule } from '../persistence/persistence.module';
import { SchemasModule } from '../schemas/schemas.module';
import { ArchiveHealthIndicator } from './archive.health';
import { LakeConsumer } from './lake-consumer.service';

/** The Kafka side: the consumer, the runner that buffers and commits, the lake writer, health. */
@Module({
  imports: [PersistenceModule, TerminusModule, SchemasModule],
  providers: [lakeArchiveProvider, ArchiveRunner, LakeConsumer, ArchiveHealthIndicator],
  exports: [LakeConsumer, ArchiveHealthIndicator],
})
export class ConsumerModule {}
