import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLakeDuckdb } from './lake-duckdb';
import { tradeRowOf } from './lake-records';
import { ParquetWriter } from './parquet-writer';

describe('ParquetWriter', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parquet-writer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes trades with exact DECIMAL, TIMESTAMP(MILLIS), INT64 and ZSTD, and reads the digits back unchanged', async () => {
    const { connection, instance } = await openLakeDuckdb({ threads: 1 });
    const message = (price: string, quantity: string, tradeId: number) =>
      Buffer.from(JSON.stringify({ symbol: 'BTCUSDT', price, quantity, tradeId, timestamp: 1741046404.349, eventTimeMs: 1741046404349, isBuyerMaker: true, source: 'ws-trade' }));
    const rows = [
      tradeRowOf(1, { offset: '7', value: message('999999999999999.999999999999', '0.000000000001', 9007199254740991) }),
      tradeRowOf(1, { offset: '8', value: message('0.1', '0.2', 2) }),
    ];
    const path = join(dir, 'trades.parquet');
    await new ParquetWriter(connection).write('trades', rows.flatMap((row) => ('skipped' in row ? [] : [row])), path);
    const schema = await connection.runAndReadAll(`SELECT name, type, logical_type FROM parquet_schema('${path}') WHERE name IN ('price', 'event_time', 'trade_id')`);
    expect(schema.getRowObjectsJson()).toEqual([
      { name: 'trade_id', type: 'INT64', logical_type: null },
      { name: 'event_time', type: 'INT64', logical_type: expect.stringContaining('MILLIS') },
      { name: 'price', type: 'FIXED_LEN_BYTE_ARRAY', logical_type: 'DecimalType(scale=12, precision=27)' },
    ]);
    const codecs = await connection.runAndReadAll(`SELECT DISTINCT compression FROM parquet_metadata('${path}')`);
    expect(codecs.getRowsJson()).toEqual([['ZSTD']]);
    const back = await connection.runAndReadAll(`SELECT CAST(price AS VARCHAR), CAST(quantity AS VARCHAR), trade_id, epoch_ms(event_time), kafka_offset, is_buyer_maker FROM '${path}'`);
    expect(back.getRowsJson()).toEqual([
      ['999999999999999.999999999999', '0.000000000001', '9007199254740991', '1741046404349', '7', true],
      ['0.100000000000', '0.200000000000', '2', '1741046404349', '8', true],
    ]);
    connection.closeSync();
    instance.closeSync();
  });
});
