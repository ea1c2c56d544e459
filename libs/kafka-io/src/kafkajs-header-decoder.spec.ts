interface Encoded {
  readonly buffer: Buffer;
}
type Decoder = { readVarIntBytes(): Buffer };
type DecodeRecord = (decoder: Decoder, context: object) => Record<string, unknown>;
type DecodeBatch = (decoder: Decoder) => Promise<{ records: Record<string, unknown>[] }>;

/** kafkajs's own modules in a fresh module registry, with the header decoder installed or not. */
function kafkajs(install: boolean) {
  let modules!: { Decoder: new (buffer: Buffer) => Decoder; decodeRecord: DecodeRecord; decodeBatch: DecodeBatch; headerDecoder: unknown };
  jest.isolateModules(() => {
    if (install) (require('./kafkajs-header-decoder') as typeof import('./kafkajs-header-decoder')).installHeaderDecoder();
    modules = {
      Decoder: require('kafkajs/src/protocol/decoder'),
      decodeRecord: require('kafkajs/src/protocol/recordBatch/record/v0/decoder'),
      decodeBatch: require('kafkajs/src/protocol/recordBatch/v0/decoder'),
      headerDecoder: require('kafkajs/src/protocol/recordBatch/header/v0/decoder'),
    };
  });
  return modules;
}

const theirs = kafkajs(false);
const ours = kafkajs(true);
const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (record: object) => Encoded;
const { RecordBatch: encodeBatch } = require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: (batch: object) => Promise<Encoded> };

const CONTEXT = { firstOffset: '1000', firstTimestamp: '1700000000000', magicByte: 2, timestampType: 0, maxTimestamp: '1700000000100', isControlBatch: false };
const ID = Buffer.from([0, 0, 0, 0, 0, 0, 0, 13]);
const VALUE = Buffer.from('{"symbol":"BTCUSDT","price":"43000.12","quantity":"0.001","timestamp":1700000000.123}');

/** A record's bytes inside its batch: what the record batch decoder hands the record decoder. */
function recordBytes(headers: Record<string, Buffer | Buffer[]> | undefined, key: Buffer | null = Buffer.from('BTCUSDT'), value: Buffer | null = VALUE): Buffer {
  return new theirs.Decoder(encodeRecord({ offsetDelta: 7, timestampDelta: 3, key, value, headers }).buffer).readVarIntBytes();
}

/** A record whose headers are written by hand (`headerBytes` after the value), for what kafkajs's encoder cannot write. */
function rawRecord(headerBytes: number[]): Buffer {
  const body = recordBytes({});
  return Buffer.concat([body.subarray(0, body.length - 1), Buffer.from(headerBytes)]);
}

const zigzag = (n: number) => (n << 1) ^ (n >> 31);
const text = (s: string) => [zigzag(Buffer.byteLength(s)), ...Buffer.from(s)];

/** kafkajs's record decoder with and without the header decoder on the same bytes: the same record, to the order and prototype of its header keys. */
function expectSameAsKafkajs(bytes: Buffer, context: object = CONTEXT): Record<string, unknown> {
  const record = ours.decodeRecord(new ours.Decoder(bytes), context);
  const expected = theirs.decodeRecord(new theirs.Decoder(bytes), context);
  expect(record).toStrictEqual(expected);
  expect(Object.getOwnPropertyNames(record.headers)).toEqual(Object.getOwnPropertyNames(expected.headers));
  expect(Object.getPrototypeOf(record.headers)).toBe(Object.prototype);
  return record;
}

describe('installHeaderDecoder (kafkajs reads record headers in one pass)', () => {
  it('is what kafkajs reads headers with once installed (not its array of header objects)', () => {
    const readHeaderArray = ({ Decoder, headerDecoder }: typeof ours) => (new Decoder(Buffer.from([2, ...text('a'), 2, 49])) as unknown as { readVarIntArray(reader: unknown): unknown }).readVarIntArray(headerDecoder);
    expect(readHeaderArray(theirs)).toEqual([{ key: 'a', value: Buffer.from('1') }]);
    expect(Array.isArray(readHeaderArray(ours))).toBe(false);
  });

  it('decodes a record without headers as kafkajs does', () => {
    expect(expectSameAsKafkajs(recordBytes(undefined)).headers).toEqual({});
  });

  it('decodes one header, the schema id, as kafkajs does', () => {
    const record = expectSameAsKafkajs(recordBytes({ 'apicurio.value.globalId': ID }));
    expect(record).toEqual(expect.objectContaining({ offset: '1007', timestamp: '1700000000003', key: Buffer.from('BTCUSDT'), value: VALUE }));
    expect(record.headers).toEqual({ 'apicurio.value.globalId': ID });
  });

  it('decodes many headers, and the same keys again on the next records, as kafkajs does', () => {
    const headers = { 'apicurio.value.globalId': ID, b: Buffer.from('x'), 'ключ': Buffer.from('значение'), '10': Buffer.alloc(0), '2': Buffer.from([255]) };
    for (let i = 0; i < 3; i++) expect(expectSameAsKafkajs(recordBytes(headers)).headers).toEqual(headers);
    // More distinct keys than it remembers, then the first ones again.
    for (let i = 0; i < 40; i++) expectSameAsKafkajs(recordBytes({ [`key-${i}`]: Buffer.from(String(i)), [`key-${i % 3}`]: ID }));
  });

  it('gives a repeated key an array of its values in order, as kafkajs does', () => {
    expect(expectSameAsKafkajs(recordBytes({ a: [Buffer.from('1'), Buffer.from('2')], b: ID })).headers).toEqual({ a: [Buffer.from('1'), Buffer.from('2')], b: ID });
    const thrice = expectSameAsKafkajs(rawRecord([8, ...text('a'), 2, 49, ...text('b'), 2, 50, ...text('a'), 2, 51, ...text('a'), 1]));
    expect(thrice.headers).toEqual({ a: [Buffer.from('1'), Buffer.from('3'), null], b: Buffer.from('2') });
  });

  it('decodes null keys, values and header values, a header count of -1 and a `__proto__` key as kafkajs does', () => {
    expectSameAsKafkajs(recordBytes({ a: ID }, null, null));
    expect(expectSameAsKafkajs(rawRecord([1])).headers).toEqual({});
    expect(expectSameAsKafkajs(rawRecord([4, 1, 2, 49, 1, 1])).headers).toEqual({ null: [Buffer.from('1'), null] });
    const proto = expectSameAsKafkajs(rawRecord([4, ...text('__proto__'), 2, 49, ...text('__proto__'), 2, 50]));
    expect(Object.getOwnPropertyDescriptor(proto.headers, '__proto__')?.enumerable).toBe(true);
  });

  it('throws where kafkajs throws: a negative header count other than -1', () => {
    const bytes = rawRecord([3]);
    expect(() => theirs.decodeRecord(new theirs.Decoder(bytes), CONTEXT)).toThrow(RangeError);
    expect(() => ours.decodeRecord(new ours.Decoder(bytes), CONTEXT)).toThrow(RangeError);
  });

  it('decodes a fetched record batch to the same records as kafkajs, and reads other arrays as kafkajs does', async () => {
    const batch = await encodeBatch({
      firstOffset: 500, firstTimestamp: 1_700_000_000_000, maxTimestamp: 1_700_000_000_009, lastOffsetDelta: 2,
      records: [0, 1, 2].map((i) => encodeRecord({ offsetDelta: i, timestampDelta: i, key: Buffer.from(`k${i}`), value: VALUE, headers: i === 1 ? {} : { 'apicurio.value.globalId': ID, a: [ID, ID] } })),
    });
    const [decoded, expected] = [await ours.decodeBatch(new ours.Decoder(batch.buffer)), await theirs.decodeBatch(new theirs.Decoder(batch.buffer))];
    expect(decoded.records).toHaveLength(3);
    expect(decoded).toStrictEqual(expected);
    const varInts = Buffer.from([zigzag(3), zigzag(5), zigzag(-7), zigzag(9)]);
    const readVarInts = (Decoder: new (buffer: Buffer) => Decoder) => (new Decoder(varInts) as unknown as { readVarIntArray(reader: (d: { readVarInt(): number }) => number): number[] }).readVarIntArray((d) => d.readVarInt());
    expect(readVarInts(ours.Decoder)).toEqual([5, -7, 9]);
    expect(readVarInts(ours.Decoder)).toEqual(readVarInts(theirs.Decoder));
  });

  describe('records whose header bytes equal the previous record\'s', () => {
    const decode = (bytes: Buffer) => ours.decodeRecord(new ours.Decoder(bytes), CONTEXT);

    it('share one frozen headers object and its value Buffers, equal to kafkajs\'s', () => {
      const records = [0, 1, 2].map(() => expectSameAsKafkajs(recordBytes({ 'apicurio.value.globalId': ID })));
      expect(records[1].headers).toBe(records[0].headers);
      expect(records[2].headers).toBe(records[0].headers);
      const headers = records[0].headers as Record<string, Buffer>;
      expect(Object.isFrozen(headers)).toBe(true);
      expect(headers['apicurio.value.globalId']).toBe((records[2].headers as Record<string, Buffer>)['apicurio.value.globalId']);
      expect(() => { headers['apicurio.value.globalId'] = Buffer.from('x'); }).toThrow(TypeError);
      expect(() => { headers.other = ID; }).toThrow(TypeError);
      expect(() => { delete (headers as Partial<Record<string, Buffer>>)['apicurio.value.globalId']; }).toThrow(TypeError);
      expect(headers).toEqual({ 'apicurio.value.globalId': ID });
      // Records without headers share one frozen {} too.
      const [plain, plainAgain] = [0, 1].map(() => expectSameAsKafkajs(recordBytes(undefined)));
      expect(plainAgain.headers).toBe(plain.headers);
      expect(Object.isFrozen(plain.headers)).toBe(true);
    });

    it('get distinct objects for distinct values, each equal to kafkajs\'s', () => {
      const ids = [13, 14, 14, 13, 15].map((id) => Buffer.from([0, 0, 0, 0, 0, 0, 0, id]));
      const records = ids.map((id) => expectSameAsKafkajs(recordBytes({ 'apicurio.value.globalId': id })));
      records.forEach((record, i) => expect(record.headers).toEqual({ 'apicurio.value.globalId': ids[i] }));
      expect(records[1].headers).not.toBe(records[0].headers);
      expect(records[2].headers).toBe(records[1].headers);
      expect(records[3].headers).not.toBe(records[2].headers);
      expect(records[4].headers).not.toBe(records[3].headers);
      // A value one byte longer than the last one, with the same first bytes, is not taken for it.
      const longer = expectSameAsKafkajs(rawRecord([2, ...text('apicurio.value.globalId'), zigzag(9), 0, 0, 0, 0, 0, 0, 0, 15, 1]));
      expect(longer.headers).not.toBe(records[4].headers);
    });

    it('freeze the arrays of a repeated key, and share nothing with the fetched bytes', () => {
      const bytes = rawRecord([4, ...text('a'), 2, 49, ...text('a'), 2, 50]);
      const first = decode(bytes);
      const second = expectSameAsKafkajs(Buffer.from(bytes));
      expect(second.headers).toBe(first.headers);
      const values = (first.headers as Record<string, Buffer[]>).a;
      expect(Object.isFrozen(values)).toBe(true);
      expect(() => values.push(ID)).toThrow(TypeError);
      // The fetched response is reused or dropped after decoding: the shared values are copies.
      bytes.fill(0);
      expect(first.headers).toEqual({ a: [Buffer.from('1'), Buffer.from('2')] });
    });

    it('read a long header section anew each time (equal, not shared)', () => {
      const headers = { trace: Buffer.alloc(300, 7) };
      const [first, second] = [0, 1].map(() => expectSameAsKafkajs(recordBytes(headers)));
      expect(second.headers).not.toBe(first.headers);
      expect(second.headers).toEqual(headers);
    });
  });
});
