import { apicurioClientFor, SchemaIdCheck } from '@cryptostream/schema-registry';
import { Provider } from '@nestjs/common';
import { AGGREGATOR_CONFIG, AggregatorConfig } from '../config/aggregator.config';

/** The check of the schema id on each consumed record, or null without `SCHEMA_REGISTRY_URL` (nothing checked). */
export const SCHEMA_ID_CHECK = Symbol('SCHEMA_ID_CHECK');

export const schemaIdCheckProvider: Provider = {
  provide: SCHEMA_ID_CHECK,
  inject: [AGGREGATOR_CONFIG],
  useFactory: (config: AggregatorConfig): SchemaIdCheck | null => {
    const client = apicurioClientFor(config.schemaRegistry);
    return client ? new SchemaIdCheck(client, config.kafkaTopic, ['trade', 'source-progress']) : null;
  },
};
