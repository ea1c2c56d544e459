import { canonicalDecimal } from '@cryptostream/schema';
import { createTestDatabase, TestDatabase } from './testing';
import type { WindowFigures } from '@cryptostream/windowing';
import type { RowDataPacket } from 'mysql2/promise';
import { migrate } from './migrate';
import { MIGRATIONS } from './migrations';
import { MysqlWindowRepository } from './window.repository';

const window: WindowFigures = {
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
      average_price: '0.23080000', quote_volume: '332948.242740000000000000000000', trade_count: 714,
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
    expect(rows).toEqual([{ id: before['id'], close: '0.230900000000', revision: 1 }]);
  });

  it('counts each correction as revision + 1 and keeps the revision when a rebuilt window is written again', async () => {
    const repository = new MysqlWindowRepository(db.pool);
    // An engine started after a restart knows neither revision: its corrections say 1 again.
    await repository.upsertWindows([{ ...window, close: '0.2310', revision: 1 }]);
    await repository.upsertWindows([{ ...window, close: '0.2310', revision: 0 }]);
    const [rows] = await db.pool.query<RowDataPacket[]>('SELECT close, revision FROM moving_averages');
    expect(rows.map((row) => [canonicalDecimal(row['close']), row['revision']])).toEqual([['0.231', 2]]);
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
      repository.commitAllOrNothing([fresh, broken], [{ consumerGroup: 'rb', topic: 't', partition: 0, resumeOffset: 1, nextOffset: 1, watermarkMs: 0 }]),
    ).rejects.toThrow();
    const [rows] = await db.pool.query<RowDataPacket[]>("SELECT symbol FROM moving_averages WHERE symbol IN ('ROLLBACKUSDT', 'BROKENUSDT')");
    expect(rows).toEqual([]);
    expect((await repository.readProgress('rb', 't')).size).toBe(0);
  });

  it('keeps windows of several sizes apart, labelled by window_size', async () => {
    const repository = new MysqlWindowRepository(db.pool);
    const oneMinute = { ...window, symbol: 'SIZESUSDT' };
    const fiveMinutes = { ...oneMinute, endMs: oneMinute.startMs + 300_000, volume: '5' };
    await repository.upsertWindows([oneMinute, fiveMinutes]);
    const [rows] = await db.pool.query<RowDataPacket[]>(
      "SELECT window_size, end_time, volume FROM moving_averages WHERE symbol = 'SIZESUSDT' ORDER BY window_size",
    );
    expect(rows).toEqual([
      { window_size: '1m', end_time: '2025-03-04 00:01:00.000', volume: '1443073.000000000000' },
      { window_size: '5m', end_time: '2025-03-04 00:05:00.000', volume: '5.000000000000' },
    ]);
  });

  it('stores a ticker window without volumes or trade count', async () => {
    await new MysqlWindowRepository(db.pool).upsertWindows([{ ...window, symbol: 'TICKERUSDT', source: 'ticker' }]);
    const [rows] = await db.pool.query<RowDataPacket[]>(
      "SELECT source, volume, quote_volume, vwap, trade_count, event_count FROM moving_averages WHERE symbol = 'TICKERUSDT'",
    );
    expect(rows).toEqual([{ source: 'ticker', volume: null, quote_volume: null, vwap: null, trade_count: null, event_count: 714 }]);
  });

  it('stores a COIN-M window with its base volume and no quote volume', async () => {
    await new MysqlWindowRepository(db.pool).upsertWindows([{ ...window, symbol: 'COINMUSD_PERP', baseVolume: '1645.32531982' }]);
    const [rows] = await db.pool.query<RowDataPacket[]>("SELECT volume, quote_volume, base_volume FROM moving_averages WHERE symbol = 'COINMUSD_PERP'");
    expect(rows).toEqual([{ volume: '1443073.000000000000', quote_volume: null, base_volume: '1645.32531982' }]);
  });

  it('commits window state with its progress, and not for a stale writer whose progress was refused', async () => {
    const repository = new MysqlWindowRepository(db.pool);
    const progress = { consumerGroup: 'st', topic: 't', partition: 1, resumeOffset: 50, nextOffset: 60, watermarkMs: window.endMs };
    const partial = { ...window, endMs: window.startMs + 300_000, priceSum: '164.7912' };
    const state = { consumerGroup: 'st', topic: 't', partition: 1, asOfWatermarkMs: window.endMs, states: [
      { sizeMs: 300_000, symbol: 'TRXUSD_PERP', partial, carried: { endMs: window.endMs, close: '0.2308' } },
      // Larger windows kept for corrections: parts one by one, the settled ones merged.
      { sizeMs: 900_000, symbol: 'TRXUSD_PERP', rollups: [{ startMs: window.startMs, frozen: { ...partial, endMs: window.startMs + 900_000 }, frozenUntilMs: window.endMs, parts: [{ ...window, priceSum: '0.2308', revision: 2 }], emissions: 1 }] },
      { sizeMs: 60_000, symbol: 'TRXUSD_PERP', carried: { endMs: window.endMs, close: '0.2308', recent: [{ startMs: window.startMs, close: '0.2308' }] } },
    ] };
    await repository.commitWindows([], [progress], [state]);
    const stored = await repository.readWindowState('st', 't', 1);
    expect(stored.sort((a, b) => a.sizeMs - b.sizeMs)).toEqual([state.states[2], state.states[0], state.states[1]]);
    const stale = { ...state, asOfWatermarkMs: window.endMs + 60_000, states: [{ sizeMs: 60_000, symbol: 'TRXUSD_PERP', carried: { endMs: 1, close: '9' } }] };
    await repository.commitWindows([], [{ ...progress, resumeOffset: 40, nextOffset: 45 }], [stale]);
    expect(await repository.readWindowState('st', 't', 1)).toContainEqual(state.states[2]);
    expect(await repository.readWindowState('st', 't', 2)).toEqual([]);
  });

  it('backfills window_size of rows written before it existed from their span', async () => {
    const old = await createTestDatabase();
    try {
      await old.pool.query('DROP TABLE moving_averages, consumer_progress, window_state, schema_migrations');
      await migrate(old.pool, MIGRATIONS.slice(0, 2));
      await old.pool.query(
        "INSERT INTO moving_averages (start_time, end_time, symbol, average_price, open, high, low, close, volume, quote_volume, trade_count, event_count) VALUES " +
          "('2025-03-04 00:00:00', '2025-03-04 00:01:00', 'OLDUSDT', 1, 1, 1, 1, 1, 1, 1, 1, 1), ('2025-03-04 00:00:00', '2025-03-04 00:01:30', 'ODDUSDT', 1, 1, 1, 1, 1, 1, 1, 1, 1)",
      );
      await migrate(old.pool);
      const [rows] = await old.pool.query<RowDataPacket[]>('SELECT symbol, window_size, source FROM moving_averages ORDER BY symbol');
      expect(rows).toEqual([{ symbol: 'ODDUSDT', window_size: '90s', source: 'trades' }, { symbol: 'OLDUSDT', window_size: '1m', source: 'trades' }]);
    } finally {
      await old.drop();
    }
  });

  it('applies each migration once', async () => {
    expect(await migrate(db.pool)).toEqual([]);
  });
});
