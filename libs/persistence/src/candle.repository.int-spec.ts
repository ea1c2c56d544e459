import { createTestDatabase, TestDatabase } from './testing';
import type { WindowFigures } from '@cryptostream/windowing';
import { CandlePageQuery, MysqlCandleRepository } from './candle.repository';
import { createMysqlPool } from './mysql-pool';
import { parseMysqlUrl } from './mysql-url';
import { MysqlWindowRepository } from './window.repository';

const T0 = Date.UTC(2025, 2, 4);
const window = (symbol: string, minute: number, sizeMs = 60_000, close = `0.${2300 + minute}`): WindowFigures => ({
  symbol, startMs: T0 + minute * 60_000, endMs: T0 + minute * 60_000 + sizeMs, averagePrice: '0.23080000', open: '0.23097',
  high: '0.231', low: '0.2305', close, volume: '1443073.5', quoteVolume: '332948.242740000000000001', vwap: '0.23072234',
  tradeCount: 714, eventCount: 714, revision: 0,
});

describe('MysqlCandleRepository (real MySQL)', () => {
  let db: TestDatabase;
  let candles: MysqlCandleRepository;
  const query = (extra: Partial<CandlePageQuery>): CandlePageQuery => ({ symbol: 'TRXUSDT', windowSize: '1m', direction: 'backward', limit: 4, ...extra });

  beforeAll(async () => {
    db = await createTestDatabase();
    const windows = Array.from({ length: 10 }, (_, minute) => window('TRXUSDT', minute));
    await new MysqlWindowRepository(db.pool).upsertWindows([...windows, window('TRXUSDT', 0, 300_000), window('BTCUSDT', 3)]);
    candles = new MysqlCandleRepository(db.pool);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('reads the newest page newest-last, exact to the last digit, and pages back by key', async () => {
    const newest = await candles.page(query({}));
    expect(newest.more).toBe(true);
    expect(newest.candles.map((c) => c.startMs - T0)).toEqual([6, 7, 8, 9].map((m) => m * 60_000));
    expect(newest.candles[3]).toMatchObject({ close: '0.2309', volume: '1443073.5', quoteVolume: '332948.242740000000000001', endMs: T0 + 600_000 });
    const older = await candles.page(query({ toMs: newest.candles[0].startMs }));
    expect(older.candles.map((c) => (c.startMs - T0) / 60_000)).toEqual([2, 3, 4, 5]);
    const oldest = await candles.page(query({ toMs: older.candles[0].startMs }));
    expect(oldest).toMatchObject({ more: false });
    expect(oldest.candles.map((c) => (c.startMs - T0) / 60_000)).toEqual([0, 1]);
  });

  it('reads forward from a start, within the range, one window size only', async () => {
    const page = await candles.page(query({ direction: 'forward', fromMs: T0 + 60_000, toMs: T0 + 240_000, limit: 10 }));
    expect(page).toMatchObject({ more: false });
    expect(page.candles.map((c) => (c.startMs - T0) / 60_000)).toEqual([1, 2, 3]);
    const fiveMinutes = await candles.page(query({ windowSize: '5m' }));
    expect(fiveMinutes.candles.map((c) => [c.startMs, c.endMs])).toEqual([[T0, T0 + 300_000]]);
  });

  it('lists the symbols with their first and latest window, and knows the newest window', async () => {
    expect(await candles.symbols('1m')).toEqual([
      { symbol: 'BTCUSDT', firstStartMs: T0 + 180_000, latestStartMs: T0 + 180_000 },
      { symbol: 'TRXUSDT', firstStartMs: T0, latestStartMs: T0 + 540_000 },
    ]);
    expect(await candles.newestWindowEndMs('1m')).toBe(T0 + 600_000);
  });

  it('gives its lent connection back after each page, also after a failed query', async () => {
    const pool = createMysqlPool(parseMysqlUrl(db.url), 1);
    try {
      const onePool = new MysqlCandleRepository(pool);
      for (let i = 0; i < 5; i++) expect((await onePool.page(query({}))).candles).toHaveLength(4);
      await expect(onePool.page(query({ limit: -2 }))).rejects.toThrow();
      expect((await onePool.page(query({}))).candles).toHaveLength(4);
    } finally {
      await pool.end();
    }
  });
});
