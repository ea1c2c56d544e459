import { parseMysqlUrl } from '@cryptostream/persistence';
import { createTestDatabase, RECORDINGS, TestDatabase } from '@cryptostream/testing';
import type { RowDataPacket } from 'mysql2/promise';
import { backfill } from './backfill';

const FILES = [
  RECORDINGS.TRXUSDT,
  RECORDINGS.TRXUSD_PERP,
];

describe('backfill (real MySQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase(); });
  afterAll(async () => { await db.drop(); });

  const rows = async () => (await db.pool.query<RowDataPacket[]>('SELECT * FROM moving_averages ORDER BY symbol, start_time'))[0];
  const run = async () => {
    const progress: string[] = [];
    const counts = await backfill({ windowSizesMs: [60_000], graceMs: 0, emptyWindows: 'skip', contractSizes: new Map(), files: FILES }, parseMysqlUrl(db.url), () => undefined, { isTTY: false, write: (t) => progress.push(t) });
    return { counts, progress };
  };

  it('writes the windows of the files, exactly, with a progress bar', async () => {
    const { counts, progress } = await run();
    expect(counts).toMatchObject({ trades: 19_999, nonMarket: 1, malformed: 0, late: 0 });
    expect(progress.at(-1)).toMatch(/^\[#{30}\] 100% 2\.1\/2\.1 MB {2}\d+ windows, 19999 trades\n$/);
    const written = await rows();
    expect(written).toHaveLength(counts.windows);
    expect(written.find((r) => r['symbol'] === 'TRXUSDT' && r['start_time'] === '2025-03-04 00:15:00.000')).toMatchObject({
      open: '0.232080000000', high: '0.232370000000', low: '0.231960000000', close: '0.232350000000',
      volume: '662312.000000000000', quote_volume: '153745.253630000000000000000000', trade_count: 715,
    });
  });

  it('changes nothing when run a second time', async () => {
    const before = await rows();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await run();
    expect(await rows()).toEqual(before);
  });
});
