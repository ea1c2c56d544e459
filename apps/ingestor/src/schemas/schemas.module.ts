import { SchemaRegistryStatus } from '@cryptostream/schema-registry';
import { Module } from '@nestjs/common';
import { RegisteredSchemas } from './registered-schemas.service';

/** The schema registry: what the ingestor writes, registered at start-up (when one is configured); its readiness is the registration's. */
@Module({
  providers: [RegisteredSchemas, { provide: SchemaRegistryStatus, useExisting: RegisteredSchemas }],
  exports: [RegisteredSchemas, SchemaRegistryStatus],
})
export class SchemasModule {}
