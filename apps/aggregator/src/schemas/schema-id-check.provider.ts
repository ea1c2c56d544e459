import { ConsumedSchemaIds, SchemaIdCheck } from '@cryptostream/schema-registry';
import { Provider } from '@nestjs/common';
import { AGGREGATOR_CONFIG, AggregatorConfig } from '../config/aggregator.config';

/** The check of the schema id on each consumed record, or null without `SCHEMA_REGISTRY_URL` (nothing checked). */
export const SCHEMA_ID_CHECK = Symbol('SCHEMA_ID_CHECK');

export const schemaIdCheckProvider: Provider = {
  provide: SCHEMA_ID_CHECK,
  inject: [ConsumedSchemaIds, AGGREGATOR_CONFIG],
  useFactory: (ids: ConsumedSchemaIds, config: AggregatorConfig): SchemaIdCheck | null => ids.of(config.kafkaTopic) ?? null,
};
