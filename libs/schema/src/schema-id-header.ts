/**
 * The Kafka header that carries the registry's global id of the schema a record was written
 * with, as a 64-bit big-endian number (Apicurio's encoding). Its name is `gid`, not Apicurio's
 * default `apicurio.value.globalId`: every consumer compares each record's header bytes with the
 * previous record's (libs/kafka-io's header decoder), and at about 23 instructions a byte the 20
 * bytes the long name adds to every record were most of what the header cost the aggregator
 * (docs/schemas.md). Apicurio's Java serdes read and write this name with
 * `apicurio.registry.headers.value.globalId.name=gid`. Readers still take Apicurio's default name
 * ({@link APICURIO_SCHEMA_ID_HEADER}): records of earlier producers, and of Apicurio's serializers
 * as they come. The payload stays plain JSON: a reader that ignores headers loses nothing.
 */
export const SCHEMA_ID_HEADER = 'gid';

/** Apicurio's default name for the same header, read when {@link SCHEMA_ID_HEADER} is absent. */
export const APICURIO_SCHEMA_ID_HEADER = 'apicurio.value.globalId';

/** The header value of a global id. */
export function encodeSchemaId(globalId: number): Buffer {
  const value = Buffer.alloc(8);
  value.writeBigUInt64BE(BigInt(globalId));
  return value;
}

/** The schema id header's value among a record's headers, under either name; undefined without one. */
export function schemaIdHeaderOf(headers: Readonly<Record<string, unknown>> | undefined): unknown {
  if (headers === undefined) return undefined;
  const value = headers[SCHEMA_ID_HEADER];
  return value === undefined ? headers[APICURIO_SCHEMA_ID_HEADER] : value;
}

const HIGH = 2 ** 32;

/**
 * Reads the global id from a record's headers (kafkajs gives a Buffer, or an array when the
 * header is repeated): the id; undefined when there is no header (an older producer: read as
 * the first version); or why the header is not an id. Two 32-bit reads and no object built:
 * this runs for every record consumed.
 */
export function schemaIdOf(headers: Readonly<Record<string, unknown>> | undefined): number | string | undefined {
  const value = schemaIdHeaderOf(headers);
  if (value === undefined) return undefined;
  if (!Buffer.isBuffer(value) || value.length !== 8) return `schema id header ${SCHEMA_ID_HEADER} is not one 8-byte id`;
  const high = value.readUInt32BE(0);
  if (high >= 2 ** 21) return `schema id header ${SCHEMA_ID_HEADER} holds an id beyond 2^53`;
  return high * HIGH + value.readUInt32BE(4);
}
