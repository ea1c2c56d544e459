import { artifactIdOf, RECORD_SCHEMAS, RecordKind, schemaText } from '@cryptostream/schema';
import type { ApicurioClient } from './apicurio.client';

/** What an app writes: a record kind on a topic (one artifact each). */
export interface ProducedRecords {
  readonly topic: string;
  readonly kind: RecordKind;
}

/** One artifact after registration: the global id of every committed version, oldest first. */
export interface RegisteredArtifact extends ProducedRecords {
  readonly artifactId: string;
  readonly globalIds: readonly number[];
  /** The id of the version producers write (the last). */
  readonly currentId: number;
}

/**
 * Registers (or finds) every committed version of each kind, in order, under one artifact per
 * topic and kind with the BACKWARD compatibility rule, so that the registry's history of an
 * artifact is the repository's. A version the rule refuses throws `SchemaRefusedError` naming
 * the file and carrying the registry's reason.
 */
export async function registerSchemas(client: ApicurioClient, produced: readonly ProducedRecords[]): Promise<RegisteredArtifact[]> {
  const registered: RegisteredArtifact[] = [];
  for (const { topic, kind } of produced) {
    const artifactId = artifactIdOf(topic, kind);
    const globalIds: number[] = [];
    for (const version of RECORD_SCHEMAS[kind]) {
      const found = await client.findOrCreateVersion(artifactId, schemaText(version), `libs/schema/schemas/${kind}/v${version.version}.json`);
      globalIds.push(found.globalId);
      // Before the second version: the rule then judges every later one.
      if (version.version === 1) await client.ensureCompatibilityRule(artifactId);
    }
    registered.push({ topic, kind, artifactId, globalIds, currentId: globalIds[globalIds.length - 1] });
  }
  return registered;
}
