import { artifactIdOf, currentSchema, RECORD_KINDS, RECORD_SCHEMAS, RecordKind } from '@cryptostream/schema';
import { randomName, TEST_SCHEMA_REGISTRY_URL } from '@cryptostream/testing';
import { ApicurioClient } from './apicurio.client';
import { registerSchemas } from './register-schemas';
import { SchemaRefusedError } from './schema-registry.errors';

/** The topic each kind lives on, by its default name. */
const TOPIC_OF: Record<RecordKind, string> = { trade: 'crypto_prices', 'source-progress': 'crypto_prices', 'window-update': 'crypto_windows', 'dead-letter': 'crypto_prices.dlq' };

/** The current schema of `kind`, changed by `edit` (a copy). */
function changed(kind: RecordKind, edit: (schema: { required: string[]; properties: Record<string, Record<string, unknown>> }) => void): string {
  const schema = structuredClone(currentSchema(kind).schema) as { required: string[]; properties: Record<string, Record<string, unknown>> };
  edit(schema);
  return JSON.stringify(schema, null, 2);
}

/**
 * The compatibility gate of every schema change: against the real Apicurio Registry, each
 * kind's committed versions are registered in order under the BACKWARD rule, then the current
 * one again; a version the rule refuses fails here with the registry's own reason.
 */
describe('schema compatibility (Apicurio Registry, BACKWARD)', () => {
  const client = new ApicurioClient({ url: TEST_SCHEMA_REGISTRY_URL, group: randomName('compat'), timeoutMs: 20_000 });

  it.each(RECORD_KINDS.map((kind) => [kind, RECORD_SCHEMAS[kind].length]))('registers every committed version of the %s schema in order (%i), then finds the current one', async (kind) => {
    const [artifact] = await registerSchemas(client, [{ topic: TOPIC_OF[kind], kind }]);
    expect(artifact.globalIds).toHaveLength(RECORD_SCHEMAS[kind].length);
    expect(new Set(artifact.globalIds).size).toBe(artifact.globalIds.length);
    const [again] = await registerSchemas(client, [{ topic: TOPIC_OF[kind], kind }]);
    expect(again.currentId).toBe(artifact.currentId);
    const found = await client.lookUp(artifact.currentId);
    expect(found?.version).toEqual(expect.objectContaining({ groupId: client.group, artifactId: artifactIdOf(TOPIC_OF[kind], kind), version: String(RECORD_SCHEMAS[kind].length) }));
    expect(found?.schema).toEqual(currentSchema(kind).schema);
  }, 60_000);

  describe('refuses a breaking change with the reason', () => {
    beforeAll(() => registerSchemas(client, [{ topic: 'breaking', kind: 'trade' }, { topic: 'breaking', kind: 'window-update' }]), 60_000);

    it('an optional field made required', async () => {
      const breaking = changed('trade', (schema) => schema.required.push('quantity'));
      await expect(client.findOrCreateVersion(artifactIdOf('breaking', 'trade'), breaking, 'trade with quantity required')).rejects.toThrow(
        expect.objectContaining({ constructor: SchemaRefusedError, message: expect.stringMatching(/trade with quantity required.*A new required property was added/) }),
      );
    }, 30_000);

    it('a type changed', async () => {
      const breaking = changed('window-update', (schema) => (schema.properties['revision'] = { type: 'string' }));
      await expect(client.findOrCreateVersion(artifactIdOf('breaking', 'window-update'), breaking, 'window update with a string revision')).rejects.toThrow(
        expect.objectContaining({ constructor: SchemaRefusedError, message: expect.stringMatching(/Subschema type changed at \/properties\/revision/) }),
      );
    }, 30_000);

    it('but takes an optional field added (the way to a new version)', async () => {
      const added = changed('trade', (schema) => (schema.properties['venue'] = { type: 'string' }));
      const version = await client.findOrCreateVersion(artifactIdOf('breaking', 'trade'), added, 'trade with an optional venue');
      expect(Number(version.version)).toBe(RECORD_SCHEMAS.trade.length + 1);
    }, 30_000);
  });
});
