import 'reflect-metadata';
import { MysqlWindowRepository, PartitionProgress } from '@cryptostream/persistence';
import { createTestDatabase, TestDatabase } from '@cryptostream/testing';
import type { ClosedWindow } from '@cryptostream/windowing';
import type { RowDataPacket } from 'mysql2/promise';
import { loadAggregatorConfig } from '../config/aggregator.config';
import { AggregatorMetrics } from '../metrics/aggregator.metrics';
import { WindowFlusher } from './window-flusher.service';

const window = (symbol: string, startMs: number): ClosedWindow => ({
  symbol, startMs, endMs: startMs + 60_000, averagePrice: '1.00000000', open: '1', high: '1', low: '1', close: '1',
  volume: '2', quoteVolume: '2', vwap: '1.00000000', tradeCount: 1, eventCount: 1, revision: 0,
});
const progress = (partition: number, resumeOffset: number): PartitionProgress => ({
  consumerGroup: 'g', topic: 't', partition, resumeOffset, nextOffset: resumeOffset + 1, watermarkMs: 0,
});

describe('WindowFlusher (real MySQL)', () => {
  let db: TestDatabase;
  let flusher: WindowFlusher;
  let committed: PartitionProgress[];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });
  beforeEach(() => {
    const config = loadAggregatorConfig({ MAX_PENDING_WINDOWS: '3' });
    flusher = new WindowFlusher(config, new MysqlWindowRepository(db.pool), new AggregatorMetrics());
    committed = [];
    flusher.onCommitted((stored) => committed.push(...stored));
  });

  const count = async (table: string) => {
    const [[row]] = await db.pool.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${table}`);
    return Number(row['n']);
  };

  it('is drained at once when nothing is queued, even right after a retry (shutdown path)', async () => {
    flusher.retryNow();
    await expect(flusher.whenDrained()).resolves.toBeUndefined();
  });

  it('commits queued windows with the latest progress of each partition, then reports it', async () => {
    flusher.enqueue([window('AUSDT', 0)], progress(0, 5));
    flusher.enqueue([window('BUSDT', 0)], progress(0, 7));
    flusher.enqueue([], progress(1, 3));
    await flusher.whenDrained();
    expect(await count('moving_averages')).toBe(2);
    const stored = await new MysqlWindowRepository(db.pool).readProgress('g', 't');
    expect([stored.get(0)?.resumeOffset, stored.get(1)?.resumeOffset]).toEqual([7, 3]);
    expect(committed.map((p) => [p.partition, p.resumeOffset])).toEqual(expect.arrayContaining([[0, 7], [1, 3]]));
  });

  it('keeps everything pending while MySQL refuses, says why, and writes it all once MySQL is back', async () => {
    await db.pool.query('RENAME TABLE consumer_progress TO consumer_progress_hidden');
    try {
      flusher.enqueue([window('CUSDT', 60_000), window('DUSDT', 60_000)], progress(2, 10));
      flusher.enqueue([window('EUSDT', 60_000)], progress(2, 11));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(flusher.problem).toMatch(/cannot write windows to MySQL: .*consumer_progress/);
      expect(flusher.pendingWindows).toBe(3);
      expect(flusher.isFull).toBe(true);
      const [rows] = await db.pool.query<RowDataPacket[]>("SELECT symbol FROM moving_averages WHERE symbol IN ('CUSDT', 'DUSDT', 'EUSDT')");
      expect(rows).toEqual([]);
    } finally {
      await db.pool.query('RENAME TABLE consumer_progress_hidden TO consumer_progress');
    }
    flusher.retryNow();
    await flusher.whenDrained();
    expect(flusher.problem).toBeUndefined();
    expect(flusher.isFull).toBe(false);
    const [rows] = await db.pool.query<RowDataPacket[]>("SELECT symbol FROM moving_averages WHERE symbol IN ('CUSDT', 'DUSDT', 'EUSDT')");
    expect(rows).toHaveLength(3);
    expect((await new MysqlWindowRepository(db.pool).readProgress('g', 't')).get(2)?.resumeOffset).toBe(11);
  });
});
