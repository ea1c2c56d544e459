/**
 * kafkajs 2.2.4 decodes the headers of every fetched record
 * (`kafkajs/src/protocol/recordBatch/record/v0/decoder.js`) as
 * `decoder.readVarIntArray(HeaderDecoder).reduce((obj, { key, value }) => ({ ...obj, [key]: … }), {})`:
 * an object per header, the headers object spread once per header, and a key string decoded from
 * UTF-8 per header. With one header on each record (the schema id, see docs/schemas.md) that is
 * most of what a header costs a consumer. {@link installHeaderDecoder} replaces that one read:
 * kafkajs's `Decoder.readVarIntArray`, when asked for headers, builds the headers object in one
 * pass ({@link readHeaders}: the same object, key for key, as kafkajs's reduce; a key whose bytes
 * equal a recent key's gets that key's string; a record whose header bytes equal the previous
 * record's gets the previous record's headers object, frozen: {@link readSharedHeaders}) and
 * hands the record decoder an array stand-in
 * whose `reduce` returns it. kafkajs stays the client and its record decoder runs unchanged; the
 * spec proves the records equal kafkajs's own. It patches kafkajs's `Decoder` class, not its
 * module cache, so it holds when an app's build bundles kafkajs.
 */

/** The part of kafkajs's `Decoder` headers are read with. */
interface KafkajsDecoder {
  readonly buffer: Buffer;
  offset: number;
  readVarInt(): number;
  readVarIntBytes(): Buffer | null;
  readVarIntArray(reader: unknown): unknown;
}

const Decoder = require('kafkajs/src/protocol/decoder') as { prototype: KafkajsDecoder; new (buffer: Buffer): KafkajsDecoder };
/** What kafkajs's record decoder passes to `readVarIntArray` for the headers (the same module object, bundled or not). */
const HEADER_DECODER: unknown = require('kafkajs/src/protocol/recordBatch/header/v0/decoder');

/** Keys seen lately, by their bytes: a topic's records carry the same few header keys. */
const KNOWN_KEYS_LIMIT = 16;
const knownKeyBytes: Buffer[] = [];
const knownKeys: string[] = [];

/** Whether `buffer` holds `bytes` at `start`: a loop, cheaper than a native call for a key's few bytes. */
function sameBytes(bytes: Buffer, buffer: Buffer, start: number): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== buffer[start + i]) return false;
  return true;
}

/** Reads a header key as kafkajs's `readVarIntString` does, reusing the string of a known key. */
function readKey(decoder: KafkajsDecoder): string | null {
  const length = decoder.readVarInt();
  if (length === -1) return null;
  const { buffer } = decoder;
  const start = decoder.offset;
  const end = Math.min(start + length, buffer.length);
  decoder.offset += length;
  for (let i = 0; i < knownKeyBytes.length; i++) {
    const bytes = knownKeyBytes[i];
    if (bytes.length === end - start && sameBytes(bytes, buffer, start)) return knownKeys[i];
  }
  const key = buffer.toString('utf8', start, end);
  if (knownKeyBytes.length === KNOWN_KEYS_LIMIT) {
    knownKeyBytes.shift();
    knownKeys.shift();
  }
  // A copy: the fetched response it was read from is not kept alive for it.
  knownKeyBytes.push(Buffer.from(buffer.subarray(start, end)));
  knownKeys.push(key);
  return key;
}

/**
 * A record's headers as kafkajs's reduce builds them: a repeated key gives an array of its values
 * in order; a null key is `"null"`; no headers (count -1 or 0) is `{}`.
 */
export function readHeaders(decoder: KafkajsDecoder): Record<string, unknown> {
  const count = decoder.readVarInt();
  // kafkajs's readVarIntArray: -1 is no headers, another negative count a RangeError.
  if (count < -1) throw new RangeError('Invalid array length');
  const headers: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const key = String(readKey(decoder));
    const value = decoder.readVarIntBytes();
    const before = headers[key];
    const now = before === undefined ? value : Array.isArray(before) ? before.concat([value]) : [before, value];
    // Defined, not assigned: a key `__proto__` is an own property, as kafkajs's spread makes it.
    if (key === '__proto__') Object.defineProperty(headers, key, { value: now, writable: true, enumerable: true, configurable: true });
    else headers[key] = now;
  }
  return headers;
}

/**
 * The last record's header bytes (a copy) and the frozen headers read from them. A topic's
 * records carry the same headers record after record (the schema id), so a record whose header
 * bytes equal these gets the same object, and the same value Buffers: nothing is allocated for
 * its headers. Frozen, so that no consumer can change what later records share (a Buffer cannot
 * be frozen: its bytes are the one thing a consumer could still write).
 */
let lastHeaderBytes: Buffer | undefined;
let lastHeaders: Readonly<Record<string, unknown>> = Object.freeze({});
/** Longer header sections are read anew each time: copying and comparing them would cost more than it saves. */
const SHARED_HEADERS_LIMIT = 256;

/**
 * {@link readHeaders}, giving a record whose header bytes equal the previous record's the same
 * frozen headers object. The header section is compared, not parsed: equal bytes read the same.
 */
export function readSharedHeaders(decoder: KafkajsDecoder): Readonly<Record<string, unknown>> {
  const { buffer } = decoder;
  const start = decoder.offset;
  const last = lastHeaderBytes;
  if (last !== undefined && buffer.length - start >= last.length && sameBytes(last, buffer, start)) {
    decoder.offset = start + last.length;
    return lastHeaders;
  }
  const headers = readHeaders(decoder);
  const length = decoder.offset - start;
  // A section cut short (past the record's end) is not shared: its copy would not read the same.
  if (length > SHARED_HEADERS_LIMIT || decoder.offset > buffer.length) return headers;
  // Read again from a copy of the bytes: the shared values must not keep the fetched response alive.
  const copy = Buffer.from(buffer.subarray(start, decoder.offset));
  const copyDecoder = new Decoder(copy);
  const shared = readHeaders(copyDecoder);
  for (const value of Object.values(shared)) if (Array.isArray(value)) Object.freeze(value);
  lastHeaders = Object.freeze(shared);
  lastHeaderBytes = copy;
  return lastHeaders;
}

/**
 * What `readVarIntArray(HeaderDecoder)` returns once installed: the record decoder calls only its
 * `reduce`, at once, which gives the headers read. One object, reused: decoding is synchronous.
 */
const READ_HEADERS = {
  headers: {} as Readonly<Record<string, unknown>>,
  reduce(): Readonly<Record<string, unknown>> {
    return this.headers;
  },
};

let installed = false;

/** Makes kafkajs read fetched records' headers with {@link readSharedHeaders} (once; later calls do nothing). */
export function installHeaderDecoder(): void {
  if (installed) return;
  installed = true;
  const readVarIntArray = Decoder.prototype.readVarIntArray;
  Decoder.prototype.readVarIntArray = function (this: KafkajsDecoder, reader: unknown) {
    if (reader !== HEADER_DECODER) return readVarIntArray.call(this, reader);
    READ_HEADERS.headers = readSharedHeaders(this);
    return READ_HEADERS;
  };
}
