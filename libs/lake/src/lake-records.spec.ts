import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLakeDuckdb } from './lake-duckdb';
import { deadLetterRowOf } from './lake-records';
import { ParquetWriter } from './parquet-writer';

const REJECTED_AT_MS = 1741046404349;
const RECEIVED_AT_MS = 1741132800000;

function letter(offset: number, fields: Record<string, unknown>) {
  const value = { reason: 'price: not a decimal', payload: '{"symbol":"BTCUSDT"}', rejectedBy: 'aggregator', rejectedAtMs: REJECTED_AT_MS, ...fields };
  return deadLetterRowOf(0, { offset: String(offset), value: Buffer.from(JSON.stringify(value)) }, RECEIVED_AT_MS);
}

describe('deadLetterRowOf', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lake-records-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes letters whose origin or time their columns cannot hold, those fields null (the time: when it was read) and their values in the reason', async () => {
    const rows = [
      letter(0, { origin: { topic: 'crypto_prices', partition: 2, offset: '41' } }),
      letter(1, { origin: { topic: 'crypto_prices', partition: 2, offset: 'abc' } }),
      letter(2, { origin: { topic: 'crypto_prices', partition: 2, offset: '1000000000000000000000000000000' } }),
      letter(3, { origin: { offset: '9007199254740993' } }),
      letter(4, { origin: { offset: 12.5 } }),
      letter(5, { origin: { offset: 9007199254740991, partition: 'abc', topic: 7 } }),
      letter(6, { origin: { partition: 2 ** 31, stream: { name: 'btcusdt@trade' } } }),
      letter(7, { origin: 'crypto_prices/2@41' }),
      letter(8, { rejectedAtMs: 9e15 }),
      letter(9, { rejectedAtMs: 'yesterday' }),
    ];
    const { connection, instance } = await openLakeDuckdb({ threads: 1 });
    try {
      const path = join(dir, 'dead_letters.parquet');
      await new ParquetWriter(connection).write('dead_letters', rows, path);
      const back = await connection.runAndReadAll(`SELECT kafka_offset, origin_topic, origin_partition, origin_offset, origin_stream, reason, epoch_ms(rejected_at), payload FROM '${path}' ORDER BY kafka_offset`);
      const note = (what: string) => `price: not a decimal (${what})`;
      expect(back.getRowsJson()).toEqual([
        ['0', 'crypto_prices', 2, '41', null, 'price: not a decimal', String(REJECTED_AT_MS), '{"symbol":"BTCUSDT"}'],
        ['1', 'crypto_prices', 2, null, null, note('origin.offset "abc" is not a safe integer: archived as null'), String(REJECTED_AT_MS), '{"symbol":"BTCUSDT"}'],
        ['2', 'crypto_prices', 2, null, null, note('origin.offset "1000000000000000000000000000000" is not a safe integer: archived as null'), String(REJECTED_AT_MS), '{"symbol":"BTCUSDT"}'],
        ['3', null, null, null, null, note('origin.offset "9007199254740993" is not a safe integer: archived as null'), String(REJECTED_AT_MS), '{"symbol":"BTCUSDT"}'],
        ['4', null, null, null, null, note('origin.offset 12.5 is not a safe integer: archived as null'), String(REJECTED_AT_MS), '{"symbol":"BTCUSDT"}'],
        ['5', null, null, '9007199254740991', null, note('origin.topic 7 is not a string: archived as null; origin.partition "abc" is not a partition number: archived as null'), String(REJECTED_AT_MS), '{"symbol":"BTCUSDT"}'],
        ['6', null, null, null, null, note('origin.partition 2147483648 is not a partition number: archived as null; origin.stream {"name":"btcusdt@trade"} is not a string: archived as null'), String(REJECTED_AT_MS), '{"symbol":"BTCUSDT"}'],
        ['7', null, null, null, null, note('origin "crypto_prices/2@41" is not an object: archived as null'), String(REJECTED_AT_MS), '{"symbol":"BTCUSDT"}'],
        ['8', null, null, null, null, note('rejectedAtMs 9000000000000000 is not a time in epoch ms: archived as the time it was read'), String(RECEIVED_AT_MS), '{"symbol":"BTCUSDT"}'],
        ['9', null, null, null, null, note('rejectedAtMs "yesterday" is not a time in epoch ms: archived as the time it was read'), String(RECEIVED_AT_MS), '{"symbol":"BTCUSDT"}'],
      ]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('flags too-late trades by their reason, whatever notes follow it', () => {
    const row = deadLetterRowOf(0, { offset: '0', value: Buffer.from(JSON.stringify({ reason: 'too late for window', payload: '', rejectedBy: 'aggregator', rejectedAtMs: REJECTED_AT_MS, origin: { offset: 'abc' } })) }, 0);
    expect(row.line).toMatch(/^1741046404349,true,"too late for window \(origin.offset ""abc"" is not a safe integer: archived as null\)",/);
  });
});
