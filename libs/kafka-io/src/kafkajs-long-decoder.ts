/**
 * kafkajs 2.2.4 decodes every fetched record's timestamp and offset with its BigInt `Long`
 * (`kafkajs/src/protocol/recordBatch/record/v0/decoder.js`):
 * `Long.fromValue(firstTimestamp).add(timestampDelta).toString()`, the same for the offset. The
 * batch's first timestamp and offset are decimal strings, parsed into a BigInt again for each
 * record, and the varint delta is read byte by byte with three `Long`s per byte. That is one
 * of the larger items of a consumer's CPU per record (about 0.4 µs, docs/benchmarks-speed.md).
 * {@link installLongDecoder} replaces those two reads, with the same results:
 *
 * - `Long.fromValue` of a string gives the `Long` it gave the last time it was asked for that
 *   string (two are kept: a batch's first timestamp and first offset). kafkajs never changes a
 *   `Long` (every operation returns a new one), so sharing one is safe.
 * - `Decoder.readVarLong` reads a varint of up to seven bytes (49 bits: exact as a number) with
 *   number arithmetic and returns one `Long`; a longer one is read by kafkajs's own code.
 *
 * It patches kafkajs's classes, not its module cache, so it holds when an app's build bundles
 * kafkajs; the spec proves the records equal kafkajs's own.
 */

interface KafkajsLong {
  readonly value: bigint;
}

interface LongClass {
  new (value: bigint): KafkajsLong;
  fromValue(value: unknown): KafkajsLong;
}

interface KafkajsDecoder {
  readonly buffer: Buffer;
  offset: number;
  readVarLong(): KafkajsLong;
}

const Long = require('kafkajs/src/utils/long') as LongClass;
const Decoder = require('kafkajs/src/protocol/decoder') as { prototype: KafkajsDecoder };

/** Bytes of a varint whose value is exact in a number: 7 × 7 = 49 bits. */
const NUMBER_VARINT_BYTES = 7;

let installed = false;

/** Makes kafkajs decode record timestamps and offsets as described above (once; later calls do nothing). */
export function installLongDecoder(): void {
  if (installed) return;
  installed = true;

  const fromValue = Long.fromValue;
  const lastTexts: [string | undefined, string | undefined] = [undefined, undefined];
  const lastLongs: [KafkajsLong | undefined, KafkajsLong | undefined] = [undefined, undefined];
  let next = 0;
  Long.fromValue = function (this: LongClass, value: unknown): KafkajsLong {
    if (typeof value !== 'string') return fromValue.call(this, value);
    if (value === lastTexts[0]) return lastLongs[0]!;
    if (value === lastTexts[1]) return lastLongs[1]!;
    const long = fromValue.call(this, value);
    lastTexts[next] = value;
    lastLongs[next] = long;
    next = 1 - next;
    return long;
  };

  const readVarLong = Decoder.prototype.readVarLong;
  Decoder.prototype.readVarLong = function (this: KafkajsDecoder): KafkajsLong {
    const { buffer } = this;
    const start = this.offset;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < NUMBER_VARINT_BYTES && start + i < buffer.length; i++) {
      const byte = buffer[start + i];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        this.offset = start + i + 1;
        // Zigzag: even is value / 2, odd is -(value + 1) / 2.
        return new Long(BigInt(value % 2 === 0 ? value / 2 : -(value + 1) / 2));
      }
      scale *= 128;
    }
    return readVarLong.call(this);
  };
}
