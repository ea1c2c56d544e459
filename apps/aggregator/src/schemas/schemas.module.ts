import { combinedStatus, ConsumedSchemaIds, consumedSchemaIdsProvider, SchemaRegistryStatus } from '@cryptostream/schema-registry';
import { Module } from '@nestjs/common';
import { AGGREGATOR_CONFIG, AggregatorConfig } from '../config/aggregator.config';
import { RegisteredSchemas } from './registered-schemas.service';
import { SCHEMA_ID_CHECK, schemaIdCheckProvider } from './schema-id-check.provider';

/** The schema registry: what the aggregator writes, registered at start-up; the ids of what it reads, checked; both in its readiness. */
@Module({
  providers: [
    RegisteredSchemas,
    consumedSchemaIdsProvider(AGGREGATOR_CONFIG, (config: AggregatorConfig) => ({ registry: config.schemaRegistry, consumed: [{ topic: config.kafkaTopic, kinds: ['trade', 'source-progress'] }] })),
    schemaIdCheckProvider,
    { provide: SchemaRegistryStatus, inject: [RegisteredSchemas, ConsumedSchemaIds], useFactory: combinedStatus },
  ],
  exports: [RegisteredSchemas, SCHEMA_ID_CHECK, SchemaRegistryStatus],
})
export class SchemasModule {}
