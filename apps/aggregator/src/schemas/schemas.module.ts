import { Module } from '@nestjs/common';
import { RegisteredSchemas } from './registered-schemas.service';
import { SCHEMA_ID_CHECK, schemaIdCheckProvider } from './schema-id-check.provider';

/** The schema registry: what the aggregator writes, registered at start-up; the ids of what it reads, checked. */
@Module({ providers: [RegisteredSchemas, schemaIdCheckProvider], exports: [RegisteredSchemas, SCHEMA_ID_CHECK] })
export class SchemasModule {}
