import 'reflect-metadata';
import { MysqlWindowRepository, PartitionProgress } from '@cryptostream/persistence';
import { createTestDatabase, TestDatabase } from '@cryptostream/testing';
import type { WindowFigures } from '@cryptostream/windowing';
import type { RowDataPacket } from 'mysql2/promise';
import { loadAggregatorConfig } from '../config/aggregator.config';
import { AggregatorMetrics } from '../metrics/aggregator.metrics';
import { WindowFlusher } from './window-flusher.service';

const window = (symbol: string, startMs: number): WindowFigures => ({
  symbol, startMs, endMs: startMs + 60_000, averagePrice: '1.00000000', open: '1', high: '1', low: '1', close: '1',
  volume: '2', quoteVolume: '2', vwap: '1.00000000', tradeCount: 1, eventCount: 1, revision: 0,
});
const progress = (partition: number, resumeOffset: number): PartitionProgress => ({
  consumerGroup: 'g', topic: 't', partition, resumeOffset, nextOffset: resumeOffset + 1, watermarkMs: 0,
});

describe('WindowFlusher (real MySQL)', () => {
  let db: TestDatabase;
  let flusher: WindowFlusher;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });
  beforeEach(() => {
    const config = loadAggregatorConfig({ MAX_PENDING_WINDOWS: '3' });
    flusher = new WindowFlusher(config, new MysqlWindowRepository(db.pool), new AggregatorMetrics());
  });

  const count = async (table: string) => {
    const [[row]] = await db.pool.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${table}`);
    return Number(row['n']);
  };

  it('is drained at once when nothing is queued, even right after a retry (shutdown path)', async () => {
    flusher.retryNow();
    await expect(flusher.whenDrained()).resolves.toBeUndefined();
  });

  it('commits queued windows with the latest progress of each partition, and says when each is committed', async () => {
    const repository = new MysqlWindowRepository(db.pool);
    /** When an enqueue settles, its window and its progress must be in MySQL. */
    const queue = (symbol: string, p: PartitionProgress) =>
      flusher.enqueue(symbol ? [window(symbol, 0)] : [], p).then(async () => {
        const [rows] = await db.pool.query<RowDataPacket[]>('SELECT symbol FROM moving_averages WHERE symbol = ?', [symbol]);
        const stored = (await repository.readProgress('g', 't')).get(p.partition)?.resumeOffset ?? -1;
        return `${symbol || '-'}: rows=${rows.length} stored>=${stored >= p.resumeOffset}`;
      });
    const settled = await Promise.all([queue('AUSDT', progress(0, 5)), queue('BUSDT', progress(0, 7)), queue('', progress(1, 3))]);
    expect(settled).toEqual(['AUSDT: rows=1 stored>=true', 'BUSDT: rows=1 stored>=true', '-: rows=0 stored>=true']);
    expect(await count('moving_averages')).toBe(2);
    const stored = await repository.readProgress('g', 't');
    expect([stored.get(0)?.resumeOffset, stored.get(1)?.resumeOffset]).toEqual([7, 3]);
  });

  it('keeps everything pending while MySQL refuses, says why, and writes it all once MySQL is back', async () => {
    await db.pool.query('RENAME TABLE consumer_progress TO consumer_progress_hidden');
    let committed = 0;
    try {
      void flusher.enqueue([window('CUSDT', 60_000), window('DUSDT', 60_000)], progress(2, 10)).then(() => committed++);
      await new Promise((resolve) => setTimeout(resolve, 50)); // the first transaction fails with this in it
      void flusher.enqueue([window('EUSDT', 60_000)], progress(2, 11)).then(() => committed++);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(flusher.problem).toMatch(/cannot write windows to MySQL: .*consumer_progress/);
      expect(flusher.pendingWindows).toBe(3);
      expect(flusher.isFull).toBe(true);
      expect(committed).toBe(0);
      const [rows] = await db.pool.query<RowDataPacket[]>("SELECT symbol FROM moving_averages WHERE symbol IN ('CUSDT', 'DUSDT', 'EUSDT')");
      expect(rows).toEqual([]);
    } finally {
      await db.pool.query('RENAME TABLE consumer_progress_hidden TO consumer_progress');
    }
    flusher.retryNow();
    await flusher.whenDrained();
    expect(flusher.problem).toBeUndefined();
    expect(flusher.isFull).toBe(false);
    await new Promise(setImmediate);
    expect(committed).toBe(2);
    const [rows] = await db.pool.query<RowDataPacket[]>("SELECT symbol FROM moving_averages WHERE symbol IN ('CUSDT', 'DUSDT', 'EUSDT')");
    expect(rows).toHaveLength(3);
    expect((await new MysqlWindowRepository(db.pool).readProgress('g', 't')).get(2)?.resumeOffset).toBe(11);
  });

  it('sets apart a window MySQL refuses for its data and keeps writing every other symbol, with progress', async () => {
    const metrics = new AggregatorMetrics();
    flusher = new WindowFlusher(loadAggregatorConfig({ MAX_PENDING_WINDOWS: '100000' }), new MysqlWindowRepository(db.pool), metrics);
    // 4,295 aggTrades of 1,000,000 trades each: a window of valid messages past trade_count's INT UNSIGNED.
    const poison = { ...window('POISONUSDT', 120_000), tradeCount: 4_295_000_000 };
    const symbols = Array.from({ length: 200 }, (_, i) => `P${String(i).padStart(3, '0')}USDT`);
    const minutes = [120_000, 180_000, 240_000];
    const written: Promise<void>[] = [];
    for (const [m, startMs] of minutes.entries()) {
      const batch = symbols.map((symbol) => window(symbol, startMs));
      if (m === 0) batch.splice(77, 0, poison);
      written.push(flusher.enqueue(batch, progress(3, 100 + m)));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await Promise.all(written);
    await flusher.whenDrained();
    expect(flusher.problem).toBeUndefined();
    const [rows] = await db.pool.query<RowDataPacket[]>("SELECT symbol, COUNT(*) AS n FROM moving_averages WHERE symbol LIKE 'P%USDT' GROUP BY symbol");
    expect(rows).toHaveLength(symbols.length);
    expect(rows.every((row) => Number(row['n']) === minutes.length)).toBe(true);
    const [dead] = await db.pool.query<RowDataPacket[]>('SELECT symbol, reason, window_json FROM dead_windows');
    expect(dead).toEqual([{ symbol: 'POISONUSDT', reason: expect.stringMatching(/Out of range value for column 'trade_count'/), window_json: JSON.stringify(poison) }]);
    expect((await new MysqlWindowRepository(db.pool).readProgress('g', 't')).get(3)?.resumeOffset).toBe(102);
    expect((await metrics.registry.getSingleMetric('aggregator_windows_dead_lettered_total')?.get())?.values[0]?.value).toBe(1);
    expect((await metrics.registry.getSingleMetric('aggregator_windows_written_total')?.get())?.values[0]?.value).toBe(symbols.length * minutes.length);
    const lastWritten = await metrics.registry.getSingleMetric('aggregator_window_last_written_timestamp_seconds')!.get();
    expect(lastWritten.values.map((value) => value.labels['symbol'])).not.toContain('POISONUSDT');
  });

  it('tells Prometheus its bound and when each symbol last had a window written, which stops advancing while MySQL refuses', async () => {
    const metrics = new AggregatorMetrics();
    flusher = new WindowFlusher(loadAggregatorConfig({ MAX_PENDING_WINDOWS: '500' }), new MysqlWindowRepository(db.pool), metrics);
    const lastWritten = async () => new Map((await metrics.registry.getSingleMetric('aggregator_window_last_written_timestamp_seconds')!.get())
      .values.map((value) => [value.labels['symbol'], value.value]));
    expect((await metrics.registry.getSingleMetric('aggregator_pending_windows_limit')!.get()).values[0].value).toBe(500);
    const before = Date.now() / 1000;
    await flusher.enqueue([window('LWAUSDT', 300_000), window('LWBUSDT', 300_000)], progress(4, 1));
    const first = await lastWritten();
    expect(first.get('LWAUSDT')).toBeGreaterThanOrEqual(before);
    expect(first.get('LWAUSDT')).toBeLessThanOrEqual(Date.now() / 1000);
    expect(first.get('LWBUSDT')).toBe(first.get('LWAUSDT'));
    await db.pool.query('RENAME TABLE consumer_progress TO consumer_progress_hidden');
    try {
      void flusher.enqueue([window('LWAUSDT', 360_000)], progress(4, 2));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(flusher.problem).toBeDefined();
      expect((await lastWritten()).get('LWAUSDT')).toBe(first.get('LWAUSDT'));
    } finally {
      await db.pool.query('RENAME TABLE consumer_progress_hidden TO consumer_progress');
    }
    flusher.retryNow();
    await flusher.whenDrained();
    const after = await lastWritten();
    expect(after.get('LWAUSDT')).toBeGreaterThan(first.get('LWAUSDT')!);
    expect(after.get('LWBUSDT')).toBe(first.get('LWBUSDT'));
  });
});
