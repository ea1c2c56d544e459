/**
 * The Kafka header that carries the registry's id of the schema a record was written with:
 * Apicurio's own name and encoding (its serdes' `apicurio.value.globalId`, a 64-bit big-endian
 * global id), so that Apicurio's Java deserializers read these topics too. The payload stays
 * plain JSON: a reader that ignores headers loses nothing.
 */
export const SCHEMA_ID_HEADER = 'apicurio.value.globalId';

/** The header value of a global id. */
export function encodeSchemaId(globalId: number): Buffer {
  const value = Buffer.alloc(8);
  value.writeBigUInt64BE(BigInt(globalId));
  return value;
}

const HIGH = 2 ** 32;

/**
 * Reads the global id from a record's headers (kafkajs gives a Buffer, or an array when the
 * header is repeated): the id; undefined when there is no header (an older producer: read as
 * the first version); or why the header is not an id. Two 32-bit reads and no object built:
 * this runs for every record consumed.
 */
export function schemaIdOf(headers: Readonly<Record<string, unknown>> | undefined): number | string | undefined {
  const value = headers?.[SCHEMA_ID_HEADER];
  if (value === undefined) return undefined;
  if (!Buffer.isBuffer(value) || value.length !== 8) return `schema id header ${SCHEMA_ID_HEADER} is not one 8-byte id`;
  const high = value.readUInt32BE(0);
  if (high >= 2 ** 21) return `schema id header ${SCHEMA_ID_HEADER} holds an id beyond 2^53`;
  return high * HIGH + value.readUInt32BE(4);
}
