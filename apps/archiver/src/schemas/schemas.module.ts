import { ConsumedSchemaIds, consumedSchemaIdsProvider, SchemaRegistryStatus } from '@cryptostream/schema-registry';
import { Module } from '@nestjs/common';
import { ARCHIVER_CONFIG, ArchiverConfig } from '../config/archiver.config';

/** The schema registry: the ids of the trades and window updates the archiver reads, checked (with `SCHEMA_REGISTRY_URL`); its readiness is theirs. */
@Module({
  providers: [
    consumedSchemaIdsProvider(ARCHIVER_CONFIG, (config: ArchiverConfig) => ({
      registry: config.schemaRegistry,
      consumed: [
        { topic: config.pricesTopic, kinds: ['trade', 'source-progress'] },
        ...(config.archiveCandles ? [{ topic: config.windowUpdatesTopic, kinds: ['window-update' as const] }] : []),
      ],
    })),
    { provide: SchemaRegistryStatus, useExisting: ConsumedSchemaIds },
  ],
  exports: [ConsumedSchemaIds, SchemaRegistryStatus],
})
export class SchemasModule {}
