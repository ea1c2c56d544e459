import { LakeManifest, LakeReader } from '@cryptostream/lake';
import { parseMysqlUrl } from '@cryptostream/persistence';
import { createTestDatabase, readRecordedTrades, RECORDINGS_DIR, TestDatabase } from '@cryptostream/testing';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backfillLake } from './backfill-lake';
import { parseWindowCommandArgs } from './cli-args';

jest.setTimeout(120_000);

describe('backfill --lake', () => {
  let db: TestDatabase;
  let lakeDir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    lakeDir = mkdtempSync(join(tmpdir(), 'backfill-lake-'));
  });
  afterAll(async () => {
    await db.drop();
    rmSync(lakeDir, { recursive: true, force: true });
  });

  it('writes every market trade of the files into the lake once, however often it runs', async () => {
    const files = readdirSync(RECORDINGS_DIR).filter((name) => /^test_positive_.*trade_stream.*\.csv$/.test(name)).map((name) => join(RECORDINGS_DIR, name));
    const args = parseWindowCommandArgs(['--contract-sizes', 'TRXUSD_PERP:10', ...files], 'usage');
    const first = await backfillLake(args, parseMysqlUrl(db.url), lakeDir, () => undefined);
    const again = await backfillLake(args, parseMysqlUrl(db.url), lakeDir, () => undefined);
    const recorded = await readRecordedTrades();
    expect(first.trades).toBe(recorded.length);
    expect(again.trades).toBe(0);
    expect(again.skippedLines).toBeGreaterThanOrEqual(recorded.length);
    const reader = await LakeReader.open(lakeDir, new LakeManifest(db.pool));
    try {
      const rows = (await reader.query('SELECT symbol, market, count(*), count(DISTINCT trade_id), CAST(sum(quantity) AS VARCHAR) FROM trades GROUP BY ALL ORDER BY symbol')).rows;
      const sum = (symbol: string) => recorded.filter((t) => t.symbol === symbol).reduce((total, t) => total + BigInt(t.quantity.replace('.', '')) * 10n ** BigInt(12 - (t.quantity.split('.')[1]?.length ?? 0)), 0n);
      const text = (scaled: bigint) => `${scaled / 10n ** 12n}.${String(scaled % 10n ** 12n).padStart(12, '0')}`;
      expect(rows).toEqual(['TRXUSDT', 'TRXUSD_PERP'].map((symbol) => {
        const n = recorded.filter((t) => t.symbol === symbol).length;
        return [symbol, symbol.endsWith('_PERP') ? 'coin-m' : 'linear', String(n), String(n), text(sum(symbol))];
      }));
    } finally {
      reader.close();
    }
  });
});
