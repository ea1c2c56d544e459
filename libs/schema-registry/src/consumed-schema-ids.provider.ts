import { InjectionToken, Logger, Provider } from '@nestjs/common';
import { apicurioClientFor } from './apicurio.client';
import { ConsumedRecords, ConsumedSchemaIds } from './consumed-schema-ids';

/**
 * The {@link ConsumedSchemaIds} of an app (inject it by its class), from the app's config:
 * its `SCHEMA_REGISTRY_*` settings (libs/config `schemaRegistrySettings`) and what it reads.
 */
export function consumedSchemaIdsProvider<Config>(
  configToken: InjectionToken,
  select: (config: Config) => { readonly registry: Parameters<typeof apicurioClientFor>[0]; readonly consumed: readonly ConsumedRecords[] },
): Provider {
  return {
    provide: ConsumedSchemaIds,
    inject: [configToken],
    useFactory: (config: Config) => {
      const { registry, consumed } = select(config);
      return new ConsumedSchemaIds({ client: apicurioClientFor(registry), consumed, log: new Logger(ConsumedSchemaIds.name) });
    },
  };
}
