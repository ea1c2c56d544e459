import { APICURIO_SCHEMA_ID_HEADER, artifactIdOf, currentSchema, encodeSchemaId, RECORD_SCHEMAS, SCHEMA_ID_HEADER } from '@cryptostream/schema';
import { randomName, TEST_SCHEMA_REGISTRY_URL } from '@cryptostream/testing';
import { ApicurioClient } from './apicurio.client';
import { registerSchemas } from './register-schemas';
import { SchemaIdCheck } from './schema-id.check';
import { SchemaRegistration } from './schema-registration';
import { SchemaRegistryUnavailableError } from './schema-registry.errors';

const withId = (globalId: number) => ({ headers: { [SCHEMA_ID_HEADER]: encodeSchemaId(globalId) } });
const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

describe('schema ids against the real registry', () => {
  const client = new ApicurioClient({ url: TEST_SCHEMA_REGISTRY_URL, group: randomName('ids'), timeoutMs: 20_000 });
  const topic = randomName('prices');
  let trade: number;
  let progress: number;
  let windowUpdate: number;
  let newerTrade: number;
  let otherGroup: number;

  beforeAll(async () => {
    const artifacts = await registerSchemas(client, [{ topic, kind: 'trade' }, { topic, kind: 'source-progress' }, { topic: 'crypto_windows', kind: 'window-update' }]);
    [trade, progress, windowUpdate] = artifacts.map((artifact) => artifact.currentId);
    const newer = structuredClone(currentSchema('trade').schema) as { properties: Record<string, unknown> };
    newer.properties['venue'] = { type: 'string' };
    newerTrade = (await client.findOrCreateVersion(artifactIdOf(topic, 'trade'), JSON.stringify(newer), 'a newer trade schema')).globalId;
    const elsewhere = new ApicurioClient({ url: TEST_SCHEMA_REGISTRY_URL, group: randomName('other'), timeoutMs: 20_000 });
    [{ currentId: otherGroup }] = await registerSchemas(elsewhere, [{ topic, kind: 'trade' }]);
  }, 60_000);

  it('reads records of known versions and records without the header, and refuses the rest with the reason', async () => {
    const check = new SchemaIdCheck(client, topic, ['trade', 'source-progress']);
    const records = [withId(trade), withId(progress), withId(windowUpdate), withId(newerTrade), withId(otherGroup), withId(987_654_321), {}, { headers: { [SCHEMA_ID_HEADER]: Buffer.from('17') } }];
    expect(check.needsLookUp(records)).toBe(true);
    await check.lookUp(records);
    expect(check.needsLookUp(records)).toBe(false);
    expect(check.reasonToRefuse(withId(trade), 'trade')).toBeUndefined();
    expect(check.reasonToRefuse(withId(progress), 'source-progress')).toBeUndefined();
    expect(check.reasonToRefuse({}, 'trade')).toBeUndefined();
    expect(check.reasonToRefuse({ headers: {} }, 'source-progress')).toBeUndefined();
    expect(check.reasonToRefuse(withId(progress), 'trade')).toBe(`schema id ${progress} is the source-progress schema, on a trade record`);
    expect(check.reasonToRefuse(withId(windowUpdate), 'trade')).toMatch(new RegExp(`schema id ${windowUpdate} is ${client.group}/crypto_windows-window-update version ${RECORD_SCHEMAS["window-update"].length}, not a schema of ${topic}`));
    expect(check.reasonToRefuse(withId(newerTrade), 'trade')).toMatch(/version 2, which this consumer does not know \(deploy consumers before producers: BACKWARD\)/);
    expect(check.reasonToRefuse(withId(otherGroup), 'trade')).toMatch(/not a schema of/);
    expect(check.reasonToRefuse(withId(987_654_321), 'trade')).toBe(`unknown schema id 987654321: the registry at ${TEST_SCHEMA_REGISTRY_URL} has no such schema`);
    expect(check.reasonToRefuse(records[7], 'trade')).toMatch(/is not one 8-byte id/);
    // The same bytes as the record before are the same id; a repeated header (an array) or another id is not.
    expect(check.reasonToRefuse(withId(trade), 'trade')).toBeUndefined();
    expect(check.reasonToRefuse({ headers: { [SCHEMA_ID_HEADER]: [encodeSchemaId(trade), encodeSchemaId(trade)] } }, 'trade')).toMatch(/is not one 8-byte id/);
    expect(check.reasonToRefuse(withId(trade), 'trade')).toBeUndefined();
    expect(check.reasonToRefuse(withId(987_654_321), 'trade')).toMatch(/^unknown schema id 987654321/);
    expect(check.reasonToRefuse({ headers: { [SCHEMA_ID_HEADER]: null } }, 'trade')).toMatch(/is not one 8-byte id/);
    // Apicurio's default header name (earlier producers, Apicurio's serializers) is read the same.
    expect(check.reasonToRefuse({ headers: { [APICURIO_SCHEMA_ID_HEADER]: encodeSchemaId(trade) } }, 'trade')).toBeUndefined();
    expect(check.reasonToRefuse({ headers: { [APICURIO_SCHEMA_ID_HEADER]: encodeSchemaId(progress) } }, 'trade')).toBe(`schema id ${progress} is the source-progress schema, on a trade record`);
  }, 30_000);

  it('judges a frozen headers object (the header decoder shares one between equal records) by identity, and any other by its bytes', async () => {
    const check = new SchemaIdCheck(client, topic, ['trade', 'source-progress']);
    const shared = Object.freeze({ [SCHEMA_ID_HEADER]: encodeSchemaId(trade) });
    const unknown = Object.freeze({ [SCHEMA_ID_HEADER]: encodeSchemaId(987_654_322) });
    const none = Object.freeze({});
    const records = [{ headers: shared }, { headers: shared }, { headers: unknown }, { headers: none }, { headers: shared }];
    expect(check.needsLookUp(records)).toBe(true);
    await check.lookUp(records);
    expect(check.needsLookUp(records)).toBe(false);
    expect(check.reasonToRefuse({ headers: shared }, 'trade')).toBeUndefined();
    expect(check.reasonToRefuse({ headers: shared }, 'trade')).toBeUndefined();
    expect(check.reasonToRefuse({ headers: shared }, 'source-progress')).toBe(`schema id ${trade} is the trade schema, on a source-progress record`);
    expect(check.reasonToRefuse({ headers: unknown }, 'trade')).toMatch(/^unknown schema id 987654322/);
    expect(check.reasonToRefuse({ headers: unknown }, 'trade')).toMatch(/^unknown schema id 987654322/);
    expect(check.reasonToRefuse({ headers: none }, 'trade')).toBeUndefined();
    expect(check.reasonToRefuse({ headers: shared }, 'trade')).toBeUndefined();
    // An object that is not frozen may change between two records: it is read again each time.
    const changing: Record<string, unknown> = { [SCHEMA_ID_HEADER]: encodeSchemaId(trade) };
    expect(check.reasonToRefuse({ headers: changing }, 'trade')).toBeUndefined();
    changing[SCHEMA_ID_HEADER] = encodeSchemaId(progress);
    expect(check.needsLookUp([{ headers: changing }])).toBe(true);
    await check.lookUp([{ headers: changing }]);
    expect(check.reasonToRefuse({ headers: changing }, 'trade')).toBe(`schema id ${progress} is the source-progress schema, on a trade record`);
    changing[SCHEMA_ID_HEADER] = Buffer.from('17');
    expect(check.reasonToRefuse({ headers: changing }, 'trade')).toMatch(/is not one 8-byte id/);
  }, 30_000);

  it('throws a retriable error, refusing nothing, while the registry does not answer', async () => {
    const down = new SchemaIdCheck(new ApicurioClient({ url: 'http://127.0.0.1:1', group: client.group }), topic, ['trade']);
    await expect(down.lookUp([withId(trade)])).rejects.toThrow(expect.objectContaining({ constructor: SchemaRegistryUnavailableError, retriable: true, message: expect.stringMatching(/127\.0\.0\.1:1 does not answer/) }));
    expect(down.reasonToRefuse({}, 'trade')).toBeUndefined();
  });

  it('registration says why it waits while the registry does not answer, and gives headers once it does', async () => {
    const waiting = new SchemaRegistration({ client: new ApicurioClient({ url: 'http://127.0.0.1:1', group: client.group }), produced: [{ topic, kind: 'trade' }], log: quiet });
    void waiting.start();
    try {
      for (let waited = 0; !/does not answer/.test(waiting.problem ?? '') && waited < 20_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(waiting.problem).toMatch(/schema registry http:\/\/127\.0\.0\.1:1 does not answer/);
      expect(() => waiting.headersOf(topic, 'trade')).toThrow(expect.objectContaining({ retriable: true }));
    } finally {
      waiting.stop();
    }
    const registration = new SchemaRegistration({ client, produced: [{ topic, kind: 'trade' }, { topic, kind: 'source-progress' }], log: quiet });
    await registration.start();
    expect(registration.problem).toBeUndefined();
    expect(registration.headersOf(topic, 'trade')).toEqual({ [SCHEMA_ID_HEADER]: encodeSchemaId(trade) });
    expect(registration.headersOf(topic, 'source-progress')).toEqual({ [SCHEMA_ID_HEADER]: encodeSchemaId(progress) });
  }, 30_000);
});
