import { schemaRegistrySettings, SettingsReader } from '@cryptostream/config';
import { ApicurioClient } from '@cryptostream/schema-registry';

/** Where scripts/registry.sh runs it. */
export const LOCAL_REGISTRY_URL = 'http://127.0.0.1:8081';

/**
 * The registry of SCHEMA_REGISTRY_URL, else the local one of scripts/registry.sh, when it
 * answers; undefined when none does (the apps then write no schema ids, as before).
 */
export async function answeringRegistry(settings: SettingsReader): Promise<ApicurioClient | undefined> {
  const configured = schemaRegistrySettings(settings);
  const client = new ApicurioClient({ ...configured, url: configured.url ?? LOCAL_REGISTRY_URL });
  const answers = await fetch(`${client.url}/apis/registry/v3/system/info`, { signal: AbortSignal.timeout(2_000) }).then((response) => response.ok, () => false);
  return answers ? client : undefined;
}

/** The apps' settings for that registry. */
export function registryEnv(client: ApicurioClient | undefined): Record<string, string> {
  return client ? { SCHEMA_REGISTRY_URL: client.url, SCHEMA_REGISTRY_GROUP: client.group } : {};
}
