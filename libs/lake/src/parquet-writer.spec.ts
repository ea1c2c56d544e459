import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLakeDuckdb } from './lake-duckdb';
import { deadLetterRowOf, tradeRowOf } from './lake-records';
import { exactDecimalCast, ParquetWriter } from './parquet-writer';

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

  it('casts decimal strings to DECIMAL(27,12) with the same digits as the plain cast, on both sides of the 18-digit path', async () => {
    const { connection, instance } = await openLakeDuckdb({ threads: 1 });
    const digits = (n: number, random: () => number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
    let seed = 20;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const values = ['0', '0.000000000001', '999999.999999999999', '1000000', '1000000.000000000001', '123456789012345.5', '999999999999999.999999999999'];
    for (let i = 0; i < 2000; i++) {
      const fraction = digits(Math.floor(random() * 13), random);
      values.push(`${digits(1 + Math.floor(random() * 15), random).replace(/^0+(?=.)/, '')}${fraction === '' ? '' : `.${fraction}`}`);
    }
    const table = `(VALUES ${values.map((value) => `('${value}')`).join(', ')}) AS t(v)`;
    const both = await connection.runAndReadAll(`SELECT CAST(${exactDecimalCast('v', 'DECIMAL(27,12)')} AS VARCHAR), CAST(CAST(v AS DECIMAL(27,12)) AS VARCHAR) FROM ${table}`);
    const rows = both.getRowsJson() as string[][];
    expect(rows).toHaveLength(values.length);
    expect(rows.filter(([fast, plain]) => fast !== plain)).toEqual([]);
    expect(rows.slice(0, 7).map(([fast]) => fast)).toEqual([
      '0.000000000000', '0.000000000001', '999999.999999999999', '1000000.000000000000', '1000000.000000000001', '123456789012345.500000000000', '999999999999999.999999999999',
    ]);
    await expect(connection.run(`SELECT ${exactDecimalCast("'1000000000000000'", 'DECIMAL(27,12)')}`)).rejects.toThrow(/Could not convert/);
    connection.closeSync();
    instance.closeSync();
  });

  it('keeps every text exactly as it was, whatever it holds and however long, within the archiver\'s memory limit, and leaves no staged rows behind', async () => {
    const { connection, instance } = await openLakeDuckdb({ threads: 1, memoryLimit: '256MB' });
    const payloads = ['', ' padded ', 'NULL', 'a,b', 'say "hi"', '"', 'line\nbreak', 'crlf\r\nend', 'tab\there', 'nul\u0000byte', 'ünïcödé €', '😀', '{"symbol":"BTCUSDT","price":"1,5"}', 'é'.repeat(3_000_000)];
    const rows = payloads.map((payload, offset) =>
      deadLetterRowOf(0, { offset: String(offset), value: Buffer.from(JSON.stringify({ reason: `reason ${payload.slice(0, 20)}`, payload, rejectedBy: '', rejectedAtMs: 1741046404349 + offset })) }, 0),
    );
    const path = join(dir, 'letters', 'dead_letters.parquet');
    mkdirSync(join(dir, 'letters'));
    await new ParquetWriter(connection).write('dead_letters', rows, path);
    const back = await connection.runAndReadAll(`SELECT payload, reason, rejected_by, symbol, origin_topic, kafka_offset FROM '${path}' ORDER BY kafka_offset`);
    expect(back.getRowsJson()).toEqual(payloads.map((payload, offset) => [payload, `reason ${payload.slice(0, 20)}`, '', null, null, String(offset)]));
    expect(readdirSync(join(dir, 'letters'))).toEqual(['dead_letters.parquet']);
    connection.closeSync();
    instance.closeSync();
  });
});
