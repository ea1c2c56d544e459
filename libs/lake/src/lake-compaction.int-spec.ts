import { createTestDatabase, TestDatabase } from '@cryptostream/testing';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LakeArchive } from './lake-archive';
import { compactLake } from './lake-compaction';
import { openLakeDuckdb } from './lake-duckdb';
import { listLakeFiles } from './lake-files';
import { LakeManifest } from './lake-manifest';
import { LakeReader } from './lake-reader';
import { tradeRowOf } from './lake-records';
import type { LakeRow } from './lake-row';
import { ParquetWriter } from './parquet-writer';

const T0 = Date.UTC(2025, 2, 4);

function trades(partition: number, fromOffset: number, count: number): LakeRow[] {
  return Array.from({ length: count }, (_, i) => {
    const offset = fromOffset + i;
    const value = Buffer.from(JSON.stringify({ symbol: 'BTCUSDT', price: `43200.${offset}`, quantity: '0.001', tradeId: offset, timestamp: (T0 + offset) / 1000, eventTimeMs: T0 + offset }));
    const row = tradeRowOf(partition, { offset: String(offset), value });
    if ('skipped' in row) throw new Error(row.skipped);
    return row;
  });
}

describe('the lake manifest: commits, fencing and compaction', () => {
  let db: TestDatabase;
  let root: string;
  let manifest: LakeManifest;
  let archive: LakeArchive;
  let duck: Awaited<ReturnType<typeof openLakeDuckdb>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    root = mkdtempSync(join(tmpdir(), 'lake-compaction-'));
    manifest = new LakeManifest(db.pool);
    duck = await openLakeDuckdb({ threads: 1 });
    archive = new LakeArchive(root, new ParquetWriter(duck.connection), manifest);
  }, 60_000);

  afterAll(async () => {
    duck.connection.closeSync();
    duck.instance.closeSync();
    await db.drop();
    rmSync(root, { recursive: true, force: true });
  });

  const step = (fromOffset: number, nextOffset: number) => ({ consumerGroup: 'g', topic: 'prices', partition: 0, fromOffset, nextOffset });

  it('commits files with the progress, and refuses (removing its files) a commit from progress that has moved on', async () => {
    expect((await archive.commit(step(0, 100), trades(0, 0, 100))).committed).toBe(true);
    expect((await archive.commit(step(100, 250), trades(0, 100, 150))).committed).toBe(true);
    expect((await archive.commit(step(250, 300), trades(0, 250, 50))).committed).toBe(true);
    // A second archiver that still believes the progress is at 100 (it lost the partition in a rebalance).
    const fenced = await archive.commit(step(100, 200), trades(0, 100, 100));
    expect(fenced).toEqual({ committed: false, files: [] });
    expect((await manifest.readProgress('g', 'prices')).get(0)).toBe(300);
    expect((await listLakeFiles(root)).length).toBe(3);
  });

  it('merges a symbol-day into one file atomically while a reader that listed the old files keeps reading them', async () => {
    const before = await LakeReader.open(root, manifest);
    const count = async (reader: LakeReader) => (await reader.query('SELECT count(*), count(DISTINCT kafka_offset), CAST(sum(price) AS VARCHAR) FROM trades')).rows[0].map(String);
    const expected = await count(before);
    expect(expected.slice(0, 2)).toEqual(['300', '300']);

    const result = await compactLake(root, manifest, duck.connection, { dataset: 'trades', symbol: 'BTCUSDT', date: '2025-03-04' }, 60_000);
    expect(result).toEqual({ merged: 1, filesBefore: 3, filesAfter: 1, deletedRetired: 0 });
    expect(await count(before)).toEqual(expected);
    const after = await LakeReader.open(root, manifest);
    expect(await count(after)).toEqual(expected);
    expect((await manifest.committedFiles('trades')).map((file) => [file.path.split('/').pop()!.startsWith('compacted-'), file.firstOffset, file.lastOffset, file.rows])).toEqual([[true, 0, 299, 300]]);

    // Once the readers' grace is over, the next compaction deletes the retired files from disk.
    const retired = (await listLakeFiles(root)).filter((path) => !path.split('/').pop()!.startsWith('compacted-'));
    expect(retired).toHaveLength(3);
    expect((await compactLake(root, manifest, duck.connection, { dataset: 'trades' }, 0)).deletedRetired).toBe(3);
    expect(retired.some((path) => existsSync(join(root, path)))).toBe(false);
    expect(await count(after)).toEqual(expected);
    before.close();
    after.close();
  });
});
