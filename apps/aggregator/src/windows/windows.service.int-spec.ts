import 'reflect-metadata';
import { MysqlWindowRepository } from '@cryptostream/persistence';
import { createTestDatabase, TestDatabase } from '@cryptostream/testing';
import type { RowDataPacket } from 'mysql2/promise';
import { loadAggregatorConfig } from '../config/aggregator.config';
import { AggregatorMetrics } from '../metrics/aggregator.metrics';
import { WindowFlusher } from '../persistence/window-flusher.service';
import { PartitionRecord, RejectedRecord } from './partition-windows';
import { PartitionControl, PriceBatch } from './price-batch';
import { windowEngineFactoryProvider, WindowEngineFactory } from './window-engine.factory';
import { WindowsService } from './windows.service';

const T0 = Date.UTC(2025, 2, 4);
const record = (offset: number, eventTimeMs: number): PartitionRecord => ({
  offset: String(offset),
  value: Buffer.from(JSON.stringify({ symbol: 'TRXUSDT', price: '0.25', quantity: '4', timestamp: eventTimeMs / 1000, eventTimeMs })),
});

/** A batch as the transport hands it over, recording what the service asks of it. */
function batchOf(records: PartitionRecord[], lag = 0) {
  const asked = { seeks: [] as number[], resolved: [] as string[], deadLetters: [] as RejectedRecord[] };
  const batch: PriceBatch = {
    topic: 'prices', partition: 0, records, lag: () => lag, isStale: () => false,
    seek: (offset) => asked.seeks.push(offset), pauseFor: () => undefined, resolve: (offset) => asked.resolved.push(offset),
    heartbeat: async () => undefined, deadLetter: async (rejected) => void asked.deadLetters.push(...rejected),
  };
  return { batch, asked };
}

describe('WindowsService (real engine and MySQL, batches handed over as the transport does)', () => {
  let db: TestDatabase;
  let service: WindowsService;
  let flusher: WindowFlusher;
  let lastFetchAtMs: number;
  const control: PartitionControl = {
    pauseAll: () => undefined, resumeAll: () => undefined, lastFetchAtMs: () => lastFetchAtMs, commitOffsets: async () => undefined,
  };

  beforeEach(async () => {
    db = await createTestDatabase();
    const config = loadAggregatorConfig({ MYSQL_URL: db.url, KAFKA_TOPIC: 'prices', WINDOW_SIZE: '1m', WINDOW_GRACE_MS: '2000', IDLE_CLOSE_INTERVAL_MS: '3600000' });
    const repository = new MysqlWindowRepository(db.pool);
    const metrics = new AggregatorMetrics();
    flusher = new WindowFlusher(config, repository, metrics);
    const createEngine = (windowEngineFactoryProvider as { useFactory: (c: typeof config) => WindowEngineFactory }).useFactory(config);
    service = new WindowsService(config, createEngine, repository, flusher, metrics);
    service.onAssigned({ topic: 'prices', partitions: [0], control });
  });

  afterEach(async () => {
    service.onModuleDestroy();
    await flusher.whenDrained();
    await db.drop();
  });

  const rows = async () => (await db.pool.query<RowDataPacket[]>('SELECT symbol, trade_count FROM moving_averages'))[0];

  it('closes a quiet window on the wall clock once the partition has been idle past its end plus grace', async () => {
    const wall = Date.now();
    lastFetchAtMs = wall;
    await service.process(batchOf([record(0, T0 + 50_000), record(1, T0 + 55_000)]).batch);
    service.advanceIdlePartitions(wall);
    lastFetchAtMs = wall + 6_000; // fetches keep coming back empty
    service.advanceIdlePartitions(wall + 6_000); // event clock about T0+61000: not yet past end + grace (T0+62000)
    await flusher.whenDrained();
    expect(await rows()).toEqual([]);
    lastFetchAtMs = wall + 8_000;
    service.advanceIdlePartitions(wall + 8_000); // event clock about T0+63000
    await flusher.whenDrained();
    expect(await rows()).toEqual([{ symbol: 'TRXUSDT', trade_count: 2 }]);
  });

  it('does not count time without fetches (broker away) as idle', async () => {
    const wall = Date.now();
    lastFetchAtMs = wall;
    await service.process(batchOf([record(0, T0 + 50_000)]).batch);
    service.advanceIdlePartitions(wall);
    service.advanceIdlePartitions(wall + 600_000); // ten minutes, but the last fetch is ten minutes old
    await flusher.whenDrained();
    expect(await rows()).toEqual([]);
  });

  it('does not close windows of a partition that still has records to read', async () => {
    const wall = Date.now();
    lastFetchAtMs = wall + 600_000;
    await service.process(batchOf([record(0, T0 + 50_000)], 5_000).batch);
    service.advanceIdlePartitions(wall);
    service.advanceIdlePartitions(wall + 600_000);
    await flusher.whenDrained();
    expect(await rows()).toEqual([]);
  });

  it('seeks to the stored resume offset on the first batch after an assignment', async () => {
    await db.pool.query(
      "INSERT INTO consumer_progress (consumer_group, topic, kafka_partition, resume_offset, next_offset, watermark_ms) VALUES ('cryptostream-aggregator', 'prices', 0, 42, 50, ?)",
      [T0],
    );
    const { batch, asked } = batchOf([record(0, T0 + 1_000)]);
    await service.process(batch);
    expect(asked).toMatchObject({ seeks: [42], resolved: [] });
  });

  it('re-reads a batch from stored progress when its dead letters could not be published', async () => {
    const invalid: PartitionRecord = { offset: '1', value: Buffer.from('not json') };
    const failing = batchOf([record(0, T0 + 1_000), invalid]);
    failing.batch.deadLetter = async () => {
      throw new Error('broker unavailable');
    };
    await expect(service.process(failing.batch)).rejects.toThrow('broker unavailable');
    const retried = batchOf([record(0, T0 + 1_000), invalid]);
    await service.process(retried.batch);
    expect(retried.asked.deadLetters.map((letter) => letter.record.offset)).toEqual(['1']);
    expect(retried.asked.resolved).toEqual(['1']);
  });
});
