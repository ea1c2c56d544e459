import { ConsumedSchemaIds, consumedSchemaIdsProvider, SchemaRegistryStatus } from '@cryptostream/schema-registry';
import { Module } from '@nestjs/common';
import { API_CONFIG, ApiConfig } from '../config/api.config';

/** The schema registry: the ids of the window updates the API reads, checked (with `SCHEMA_REGISTRY_URL`); its readiness is theirs. */
@Module({
  providers: [
    consumedSchemaIdsProvider(API_CONFIG, (config: ApiConfig) => ({ registry: config.schemaRegistry, consumed: [{ topic: config.windowUpdatesTopic.name, kinds: ['window-update'] }] })),
    { provide: SchemaRegistryStatus, useExisting: ConsumedSchemaIds },
  ],
  exports: [ConsumedSchemaIds, SchemaRegistryStatus],
})
export class SchemasModule {}
