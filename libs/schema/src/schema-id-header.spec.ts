import { APICURIO_SCHEMA_ID_HEADER, encodeSchemaId, SCHEMA_ID_HEADER, schemaIdOf } from './schema-id-header';

describe('schemaIdOf', () => {
  it('reads the id under the gid header and under Apicurio\'s default name, gid first', () => {
    expect(schemaIdOf({ [SCHEMA_ID_HEADER]: encodeSchemaId(42) })).toBe(42);
    expect(schemaIdOf({ [APICURIO_SCHEMA_ID_HEADER]: encodeSchemaId(2 ** 40 + 7) })).toBe(2 ** 40 + 7);
    expect(schemaIdOf({ [SCHEMA_ID_HEADER]: encodeSchemaId(5), [APICURIO_SCHEMA_ID_HEADER]: encodeSchemaId(6) })).toBe(5);
    expect(schemaIdOf({ other: Buffer.from('x') })).toBeUndefined();
    expect(schemaIdOf(undefined)).toBeUndefined();
  });

  it('says why a header under either name is not an id', () => {
    expect(schemaIdOf({ [APICURIO_SCHEMA_ID_HEADER]: Buffer.from('17') })).toBe('schema id header gid is not one 8-byte id');
    expect(schemaIdOf({ [SCHEMA_ID_HEADER]: [encodeSchemaId(1), encodeSchemaId(1)] })).toBe('schema id header gid is not one 8-byte id');
    expect(schemaIdOf({ [SCHEMA_ID_HEADER]: Buffer.from([0, 0x20, 0, 0, 0, 0, 0, 0]) })).toBe('schema id header gid holds an id beyond 2^53');
  });
});
