import { createKafka, KafkaConnection, readToEnd } from '@cryptostream/kafka-io';
import { schemaIdOf } from '@cryptostream/schema';
import type { ApicurioClient } from '@cryptostream/schema-registry';

/** The schema ids the records of a topic carry, and what the registry says each is. */
export interface SchemaIdsCheck {
  readonly records: number;
  /** Records without the header, or with one that is not an id. */
  readonly withoutId: number;
  /** Each id seen: the artifact and version it is in the registry (undefined: unknown to it), and how many records carry it. */
  readonly ids: readonly { readonly globalId: number; readonly artifact: string | undefined; readonly records: number }[];
}

/** Reads every record of `topic` up to its end now and looks each schema id up in the registry. */
export async function checkSchemaIds(connection: KafkaConnection, topic: string, client: ApicurioClient, timeoutMs = 60_000): Promise<SchemaIdsCheck> {
  const kafka = createKafka({ clientId: 'cryptostream-demo-schema-ids', connection });
  const counts = new Map<number, number>();
  let records = 0;
  let withoutId = 0;
  await readToEnd(kafka, topic, (message) => {
    records++;
    const id = schemaIdOf(message.headers);
    if (typeof id === 'number') counts.set(id, (counts.get(id) ?? 0) + 1);
    else withoutId++;
  }, { groupPrefix: 'demo-schema-ids', timeoutMs });
  const ids = [];
  for (const [globalId, count] of [...counts].sort(([a], [b]) => a - b)) {
    const found = await client.lookUp(globalId);
    ids.push({ globalId, artifact: found && `${found.version.groupId}/${found.version.artifactId} v${found.version.version}`, records: count });
  }
  return { records, withoutId, ids };
}
