export {};

interface Encoded {
  readonly buffer: Buffer;
}
interface Long {
  readonly value: bigint;
  toString(): string;
}
type Decoder = { readVarLong(): Long; offset: number };
type DecodeBatch = (decoder: unknown) => Promise<{ records: Record<string, unknown>[] }>;

/** kafkajs's own modules in a fresh module registry, with the Long decoder installed or not. */
function kafkajs(install: boolean) {
  let modules!: { Decoder: new (buffer: Buffer) => Decoder; Long: { fromValue(value: unknown): Long }; decodeBatch: DecodeBatch };
  jest.isolateModules(() => {
    if (install) (require('./kafkajs-long-decoder') as typeof import('./kafkajs-long-decoder')).installLongDecoder();
    modules = {
      Decoder: require('kafkajs/src/protocol/decoder'),
      Long: require('kafkajs/src/utils/long'),
      decodeBatch: require('kafkajs/src/protocol/recordBatch/v0/decoder'),
    };
  });
  return modules;
}

const theirs = kafkajs(false);
const ours = kafkajs(true);
const Encoder = require('kafkajs/src/protocol/encoder') as new () => { writeVarLong(value: unknown): unknown; buffer: Buffer };
const LongOfKafkajs = require('kafkajs/src/utils/long') as { fromValue(value: unknown): Long };
const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (record: object) => Encoded;
const { RecordBatch: encodeBatch } = require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: (batch: object) => Promise<Encoded> };

const varLong = (value: bigint) => {
  const encoder = new Encoder();
  encoder.writeVarLong(LongOfKafkajs.fromValue(value));
  return encoder.buffer;
};

describe('installLongDecoder (kafkajs reads record timestamps and offsets without a BigInt per byte)', () => {
  it('reads every varlong as kafkajs does, the short ones by number and the long ones by kafkajs, leaving the offset where kafkajs leaves it', () => {
    const values = [0n, 1n, -1n, 63n, -64n, 64n, 300n, -300n, 2n ** 24n, -(2n ** 24n), 2n ** 47n - 1n, -(2n ** 47n), 2n ** 47n, -(2n ** 47n) - 1n, 2n ** 53n + 1n, -(2n ** 62n), 2n ** 63n - 1n, -(2n ** 63n)];
    for (let i = 0; i < 2_000; i++) values.push(BigInt(Math.floor((Math.random() - 0.5) * 2 ** 50)));
    for (const value of values) {
      const bytes = Buffer.concat([varLong(value), Buffer.from([0x2a])]);
      const mine = new ours.Decoder(bytes);
      const kafkajsOwn = new theirs.Decoder(bytes);
      const read = mine.readVarLong().value;
      expect(read).toBe(kafkajsOwn.readVarLong().value);
      expect(read).toBe(value);
      expect(mine.offset).toBe(kafkajsOwn.offset);
      expect(mine.readVarLong().value).toBe(21n); // the byte after it, 0x2a
    }
  });

  it('gives the same Long for the same text, and a new one for another', () => {
    const first = ours.Long.fromValue('1700000000000');
    expect(ours.Long.fromValue('1700000000000')).toBe(first);
    ours.Long.fromValue('1000');
    expect(ours.Long.fromValue('1700000000000')).toBe(first);
    expect(ours.Long.fromValue('1700000000001').value).toBe(1700000000001n);
    expect(ours.Long.fromValue('9223372036854775807').value).toBe(9223372036854775807n);
    expect(ours.Long.fromValue(5).value).toBe(5n);
  });

  it('decodes whole batches to the records kafkajs decodes, timestamps and offsets included', async () => {
    const records = Array.from({ length: 300 }, (_, i) => encodeRecord({
      offsetDelta: i, timestampDelta: i * 977 - 5_000, key: Buffer.from(`k${i}`), value: Buffer.from(`{"i":${i}}`), headers: {},
    }));
    for (const firstOffset of ['0', '4294967296', '9007199254740993']) {
      const batch = await encodeBatch({ firstOffset: LongOfKafkajs.fromValue(firstOffset), firstTimestamp: 1_700_000_000_000, maxTimestamp: 1_700_000_300_000, records, lastOffsetDelta: 299 });
      const mine = await ours.decodeBatch(new ours.Decoder(batch.buffer));
      const kafkajsOwn = await theirs.decodeBatch(new theirs.Decoder(batch.buffer));
      expect(mine).toStrictEqual(kafkajsOwn);
      expect(mine.records.at(-1)).toMatchObject({ offset: (BigInt(firstOffset) + 299n).toString(), timestamp: String(1_700_000_000_000 + 299 * 977 - 5_000) });
    }
  });
});
