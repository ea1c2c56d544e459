import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLakeDuckdb } from './lake-duckdb';
import { LineBuffer } from './lake-line-buffer';
import { deadLetterRowOf, tradeRowOf } from './lake-records';
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

describe('tradeRowOf', () => {
  const lineOf = (partition: number, offset: string, message: Record<string, unknown>) => {
    const row = tradeRowOf(partition, { offset, value: Buffer.from(JSON.stringify(message)) });
    if ('skipped' in row) throw new Error(`skipped: ${row.skipped}`);
    const out = new LineBuffer();
    row.writeLine(out);
    return { row, text: Buffer.concat(out.buffers()).toString() };
  };

  it('writes a trade\'s fields in column order, absent ones empty, with its directory, time and offset', () => {
    const full = lineOf(2, '9007199254740991', {
      symbol: 'TRXUSD_PERP', price: '999999999999999.999999999999', quantity: '0.000000000001', tradeId: 9007199254740991, tradeCount: 3,
      timestamp: 1741046404.349, eventTimeMs: 1741046404349, isBuyerMaker: false, contractSize: '10', source: 'ws-trade',
    });
    expect(full.text).toBe('9007199254740991,1741046404349,999999999999999.999999999999,0.000000000001,3,false,10,ws-trade,2,9007199254740991\n');
    expect([full.row.dataset, full.row.partitionDir, full.row.eventTimeMs, full.row.offset]).toEqual(['trades', 'market=coin-m/symbol=TRXUSD_PERP/date=2025-03-04', 1741046404349, 9007199254740991]);
    const bare = lineOf(0, '5', { symbol: 'BTCUSDT', price: '0.5', timestamp: 1741132799.9996 });
    expect(bare.text).toBe(',1741132800000,0.5,,,,,,0,5\n');
    expect(bare.row.partitionDir).toBe('market=linear/symbol=BTCUSDT/date=2025-03-05');
  });
});
