import { createTestDatabase, TestDatabase } from '@cryptostream/testing';
import type { ClosedWindow } from '@cryptostream/windowing';
import type { RowDataPacket } from 'mysql2/promise';
import { migrate } from './migrate';
import { MysqlWindowRepository } from './window.repository';

const window: ClosedWindow = {
  symbol: 'TRXUSD_PERP', startMs: 1741046400000, endMs: 1741046460000, averagePrice: '0.23080000',
  open: '0.23097', high: '0.231', low: '0.2305', close: '0.2308', volume: '1443073', quoteVolume: '332948.24274',
  vwap: '0.23072234', tradeCount: 714, eventCount: 714, firstTradeId: 1, lastTradeId: 714, revision: 0,
};

describe('MysqlWindowRepository (real MySQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase(); });
  afterAll(async () => { await db.drop(); });

  it('stores a window with the original columns, in UTC, exactly', async () => {
    await new MysqlWindowRepository(db.pool).upsertWindows([window]);
    const [rows] = await db.pool.query<RowDataPacket[]>('SELECT * FROM moving_averages');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      symbol: 'TRXUSD_PERP', start_time: '2025-03-04 00:00:00.000', end_time: '2025-03-04 00:01:00.000',
      average_price: '0.23080000', quote_volume: '332948.24274000000000000000', trade_count: 714,
    });
  });

  it('leaves rows untouched when the same windows are written again, and updates changed ones', async () => {
    const repository = new MysqlWindowRepository(db.pool);
    const [[before]] = await db.pool.query<RowDataPacket[]>('SELECT id, updated_at FROM moving_averages');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await repository.upsertWindows([window]);
    const [[same]] = await db.pool.query<RowDataPacket[]>('SELECT id, updated_at FROM moving_averages');
    expect(same).toEqual(before);
    await repository.upsertWindows([{ ...window, close: '0.2309', revision: 1 }]);
    const [rows] = await db.pool.query<RowDataPacket[]>('SELECT id, close, revision FROM moving_averages');
    expect(rows).toEqual([{ id: before['id'], close: '0.2309000000', revision: 1 }]);
  });

  it('commits windows and progress together, and never moves progress back', async () => {
    const repository = new MysqlWindowRepository(db.pool);
    const progress = { consumerGroup: 'g', topic: 't', partition: 2, resumeOffset: 100, nextOffset: 120, watermarkMs: 1741046460000 };
    const later = { ...window, startMs: window.endMs, endMs: window.endMs + 60_000 };
    await repository.commitWindows([later], [progress]);
    expect((await repository.readProgress('g', 't')).get(2)).toEqual(progress);
    await repository.commitWindows([], [{ ...progress, resumeOffset: 90, nextOffset: 95, watermarkMs: 1 }]);
    expect((await repository.readProgress('g', 't')).get(2)).toEqual(progress);
    await repository.commitWindows([], [{ ...progress, resumeOffset: 130, nextOffset: 140, watermarkMs: null }]);
    expect((await repository.readProgress('g', 't')).get(2)).toMatchObject({ resumeOffset: 130, nextOffset: 140, watermarkMs: null });
    expect((await repository.readProgress('other', 't')).size).toBe(0);
  });

  it('writes neither windows nor progress when the transaction fails', async () => {
    const repository = new MysqlWindowRepository(db.pool);
    const fresh = { ...window, symbol: 'ROLLBACKUSDT' };
    const broken = { ...window, symbol: 'BROKENUSDT', open: 'not a number' };
    await expect(
      repository.commitWindows([fresh, broken], [{ consumerGroup: 'rb', topic: 't', partition: 0, resumeOffset: 1, nextOffset: 1, watermarkMs: 0 }]),
    ).rejects.toThrow();
    const [rows] = await db.pool.query<RowDataPacket[]>("SELECT symbol FROM moving_averages WHERE symbol IN ('ROLLBACKUSDT', 'BROKENUSDT')");
    expect(rows).toEqual([]);
    expect((await repository.readProgress('rb', 't')).size).toBe(0);
  });

  it('applies each migration once', async () => {
    expect(await migrate(db.pool)).toEqual([]);
  });
});
