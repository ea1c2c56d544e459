import { Module } from '@nestjs/common';
import { RegisteredSchemas } from './registered-schemas.service';

/** The schema registry: what the ingestor writes, registered at start-up (when one is configured). */
@Module({ providers: [RegisteredSchemas], exports: [RegisteredSchemas] })
export class SchemasModule {}
