import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { MysqlWindowRepository, PartitionProgress } from '@cryptostream/persistence';
import { canonicalDecimal, encodeSourceProgress } from '@cryptostream/schema';
import { createTestDatabase, TestDatabase } from '@cryptostream/testing';
import type { RowDataPacket } from 'mysql2/promise';
import { loadAggregatorConfig } from '../config/aggregator.config';
import { AggregatorMetrics } from '../metrics/aggregator.metrics';
import { WindowFlusher } from '../persistence/window-flusher.service';
import { WindowUpdates } from '../updates/window-updates';
import { PartitionRecord, RejectedRecord } from '../windows/partition-windows';
import { windowEngineFactoryProvider, WindowEngineFactory } from '../windows/window-engine.factory';
import { WindowsService } from '../windows/windows.service';
import { Backpressure } from './backpressure';
import { BatchRunner } from './batch.runner';
import { FetchedBatch } from './batch-transport';
import { DeadLetters } from './dead-letters';
import { OffsetMirror } from './offset-mirror';

const T0 = Date.UTC(2025, 2, 4);
const record = (offset: number, eventTimeMs: number): PartitionRecord => ({
  offset: String(offset),
  value: Buffer.from(JSON.stringify({ symbol: 'TRXUSDT', price: '0.25', quantity: '4', timestamp: eventTimeMs / 1000, eventTimeMs })),
});

const tradeRecord = (offset: number, eventTimeMs: number, tradeId: number, price = '0.25'): PartitionRecord => ({
  offset: String(offset),
  value: Buffer.from(JSON.stringify({ symbol: 'TRXUSDT', price, quantity: '4', timestamp: eventTimeMs / 1000, eventTimeMs, tradeId })),
});
const progressRecord = (offset: number, completeUpToMs: number, atMs: number, state: 'live' | 'recovering' = 'live'): PartitionRecord => ({
  offset: String(offset),
  value: Buffer.from(encodeSourceProgress({ symbol: 'TRXUSDT', completeUpToMs, state, atMs })),
});

/** A batch as kafkajs hands it over, recording what the runner does with it. */
function batchOf(records: PartitionRecord[], lag = 0) {
  const resolved: string[] = [];
  const batch: FetchedBatch = {
    batch: { topic: 'prices', partition: 0, messages: records, offsetLag: () => String(lag) },
    isStale: () => false,
    resolveOffset: (offset) => void resolved.push(offset),
    heartbeat: async () => undefined,
    pause: () => () => undefined,
  };
  return { batch, resolved };
}

/**
 * Kafka as the runner's providers see it (dead letters, offset commits, pauses, the last fetch) and
 * the seeks its acknowledgements ask the transport for, recording what it is asked to do.
 */
class RecordedConsumer implements DeadLetters {
  lastFetchAtMs = 0;
  seeks: number[] = [];
  deadLetters: RejectedRecord[] = [];
  committed: PartitionProgress[] = [];
  failDeadLetters = false;
  paused = false;
  pauseAll(): void {
    this.paused = true;
  }
  resumeAll(): void {
    this.paused = false;
  }
  async publish(_topic: string, _partition: number, rejected: readonly RejectedRecord[]): Promise<void> {
    if (this.failDeadLetters) throw new Error('broker unavailable');
    this.deadLetters.push(...rejected);
  }
  async commitOffsets(progress: readonly PartitionProgress[]): Promise<void> {
    this.committed.push(...progress);
  }
}

/** Readers' side: the window updates handed over, with how many rows MySQL held at that moment. */
class RecordedUpdates implements WindowUpdates {
  handed: { state: 'open' | 'closed'; startMs: number; eventCount: number; rowsStored?: number }[] = [];
  rowsStored: () => Promise<number> = async () => 0;
  open(windows: Parameters<WindowUpdates['open']>[0]): void {
    for (const w of windows) this.handed.push({ state: 'open', startMs: w.startMs, eventCount: w.eventCount });
  }
  closed(windows: Parameters<WindowUpdates['closed']>[0]): void {
    for (const w of windows) {
      const entry: RecordedUpdates['handed'][number] = { state: 'closed', startMs: w.startMs, eventCount: w.eventCount };
      this.handed.push(entry);
      void this.rowsStored().then((rows) => (entry.rowsStored = rows));
    }
  }
}

describe('BatchRunner (real engine and MySQL, batches handed over as kafkajs does)', () => {
  let db: TestDatabase;
  let runner: BatchRunner;
  let flusher: WindowFlusher;
  let consumer: RecordedConsumer;
  let updates: RecordedUpdates;
  let wallMs: number;

  let metrics: AggregatorMetrics;
  const newRunner = (env: Record<string, string> = {}): BatchRunner => {
    const config = loadAggregatorConfig({ MYSQL_URL: db.url, KAFKA_TOPIC: 'prices', WINDOW_SIZE: '1m', WINDOW_GRACE_MS: '2000', IDLE_CLOSE_INTERVAL_MS: '3600000', ...env });
    const repository = new MysqlWindowRepository(db.pool);
    metrics = new AggregatorMetrics();
    flusher = new WindowFlusher(config, repository, metrics);
    const createEngine = (windowEngineFactoryProvider as { useFactory: (c: typeof config) => WindowEngineFactory }).useFactory(config);
    const clock = () => wallMs;
    const offsets = new OffsetMirror((progress) => consumer.commitOffsets(progress), new Logger(OffsetMirror.name));
    const backpressure = new Backpressure(flusher, consumer, clock, new Logger(Backpressure.name));
    const created = new BatchRunner(config, new WindowsService(config, createEngine), repository, flusher, metrics, consumer, offsets, backpressure, consumer, clock, updates);
    created.assign({ topic: 'prices', partitions: [0] });
    return created;
  };

  beforeEach(async () => {
    db = await createTestDatabase();
    consumer = new RecordedConsumer();
    wallMs = Date.UTC(2026, 0, 1);
    updates = new RecordedUpdates();
    runner = newRunner();
  });

  afterEach(async () => {
    await flusher.whenDrained();
    await db.drop();
  });

  /** A batch through the runner, its acknowledgement applied as the transport does: a seek. */
  const run = async (fetched: FetchedBatch): Promise<void> => {
    const acknowledgement = await runner.run(fetched);
    if (acknowledgement) consumer.seeks.push(acknowledgement.seekTo);
  };

  const rows = async () => (await db.pool.query<RowDataPacket[]>('SELECT symbol, trade_count FROM moving_averages'))[0];
  /** The wall clock moves on, and the consumer's fetches keep coming back empty. */
  const quietFor = (ms: number) => {
    wallMs += ms;
    consumer.lastFetchAtMs = wallMs;
    runner.closeIdleWindows();
  };

  it('closes a quiet window on the wall clock once the partition has been idle past its end plus grace', async () => {
    consumer.lastFetchAtMs = wallMs;
    await run(batchOf([record(0, T0 + 50_000), record(1, T0 + 55_000)]).batch);
    quietFor(6_000); // event clock T0+61000: not yet past end + grace (T0+62000)
    await flusher.whenDrained();
    expect(await rows()).toEqual([]);
    quietFor(2_000); // event clock T0+63000
    await flusher.whenDrained();
    expect(await rows()).toEqual([{ symbol: 'TRXUSDT', trade_count: 2 }]);
  });

  it('does not count time without fetches (broker away) as idle', async () => {
    consumer.lastFetchAtMs = wallMs;
    await run(batchOf([record(0, T0 + 50_000)]).batch);
    runner.closeIdleWindows();
    wallMs += 600_000; // ten minutes, but the last fetch is ten minutes old
    runner.closeIdleWindows();
    await flusher.whenDrained();
    expect(await rows()).toEqual([]);
  });

  it('does not close windows of a partition that still has records to read', async () => {
    await run(batchOf([record(0, T0 + 50_000)], 5_000).batch);
    quietFor(600_000);
    await flusher.whenDrained();
    expect(await rows()).toEqual([]);
  });

  it('seeks to the stored resume offset on the first batch after an assignment, and only once', async () => {
    await db.pool.query(
      "INSERT INTO consumer_progress (consumer_group, topic, kafka_partition, resume_offset, next_offset, watermark_ms) VALUES ('cryptostream-aggregator', 'prices', 0, 42, 50, ?)",
      [T0],
    );
    const first = batchOf([record(0, T0 + 1_000)]);
    await run(first.batch);
    expect([consumer.seeks, first.resolved]).toEqual([[42], []]);
    const afterSeek = batchOf([record(45, T0 + 1_000)]); // offset 42 is gone (retention): start where the log starts
    await run(afterSeek.batch);
    expect([consumer.seeks, afterSeek.resolved]).toEqual([[42], ['45']]);
  });

  it('re-reads a batch from stored progress when its dead letters could not be published', async () => {
    const invalid: PartitionRecord = { offset: '1', value: Buffer.from('not json') };
    consumer.failDeadLetters = true;
    await expect(run(batchOf([record(0, T0 + 1_000), invalid]).batch)).rejects.toThrow('broker unavailable');
    consumer.failDeadLetters = false;
    const retried = batchOf([record(0, T0 + 1_000), invalid]);
    await run(retried.batch);
    expect(consumer.deadLetters.map((letter) => letter.record.offset)).toEqual(['1']);
    expect(retried.resolved).toEqual(['1']);
  });

  it('commits Kafka offsets only after MySQL has the windows and progress', async () => {
    // With ALLOWED_LATENESS_MS=0 written windows are not kept for corrections (see the next test).
    runner = newRunner({ ALLOWED_LATENESS_MS: '0' });
    // The first two windows close (watermark T0+123000); the third, opened by offset 2, is where to resume.
    await run(batchOf([record(0, T0 + 1_000), record(1, T0 + 61_000), record(2, T0 + 125_000)]).batch);
    expect(consumer.committed).toEqual([]);
    await flusher.whenDrained();
    await new Promise(setImmediate);
    const [stored] = await db.pool.query<RowDataPacket[]>('SELECT resume_offset FROM consumer_progress');
    expect(stored.map((row) => Number(row['resume_offset']))).toEqual([2]);
    expect(await rows()).toHaveLength(2);
    expect(consumer.committed.map((p) => [p.partition, p.resumeOffset])).toEqual([[0, 2]]);
  });

  it('hands readers the changed open windows when asked, and each closed window once MySQL has committed it', async () => {
    updates.rowsStored = async () => (await rows()).length;
    await run(batchOf([record(0, T0 + 1_000), record(1, T0 + 2_000)]).batch);
    runner.publishOpenWindows();
    runner.publishOpenWindows(); // nothing changed since
    await run(batchOf([record(2, T0 + 3_000), record(3, T0 + 64_000)]).batch); // closes [T0; T0+60000)
    expect(updates.handed.filter((u) => u.state === 'closed')).toEqual([]);
    await flusher.whenDrained();
    await new Promise(setImmediate);
    runner.publishOpenWindows();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(updates.handed).toEqual([
      { state: 'open', startMs: T0, eventCount: 2 },
      { state: 'closed', startMs: T0, eventCount: 3, rowsStored: 1 },
      { state: 'open', startMs: T0 + 60_000, eventCount: 1 },
    ]);
  });

  it('holds a recovering symbol open, closes it when the source says so, corrects late trades, drops duplicates, dead-letters the too late', async () => {
    const full = async () =>
      (await db.pool.query<RowDataPacket[]>('SELECT start_time, trade_count, close, revision FROM moving_averages ORDER BY start_time'))[0].map((row) => ({ ...row, close: canonicalDecimal(row['close']) }));
    // Recovering since T0+45000: trades of T0+61000 and later do not close the first minute.
    await run(batchOf([tradeRecord(0, T0 + 40_000, 1), progressRecord(1, T0 + 45_000, T0 + 45_000, 'recovering'), tradeRecord(2, T0 + 66_000, 5), progressRecord(3, T0 + 45_000, T0 + 66_000, 'recovering')]).batch);
    await flusher.whenDrained();
    expect(await full()).toEqual([]);
    // The gap is filled (and one trade comes twice): then the source is complete past the end.
    await run(batchOf([tradeRecord(4, T0 + 50_000, 2), tradeRecord(5, T0 + 59_000, 3), tradeRecord(6, T0 + 50_000, 2), progressRecord(7, T0 + 66_000, T0 + 67_000)]).batch);
    await flusher.whenDrained();
    expect(await full()).toEqual([{ start_time: '2025-03-04 00:00:00.000', trade_count: 3, close: '0.25', revision: 0 }]);
    // A late trade of the written minute (a backfill) corrects it once; its copy is a duplicate.
    await run(batchOf([tradeRecord(8, T0 + 59_500, 4, '0.3'), tradeRecord(9, T0 + 59_500, 4, '0.3')]).batch);
    await flusher.whenDrained();
    expect(await full()).toEqual([{ start_time: '2025-03-04 00:00:00.000', trade_count: 4, close: '0.3', revision: 1 }]);
    // Eleven minutes on, the first minute is beyond ALLOWED_LATENESS_MS (10 minutes): dead-lettered.
    await run(batchOf([tradeRecord(10, T0 + 720_000, 6), progressRecord(11, T0 + 720_001, T0 + 720_001)]).batch);
    await run(batchOf([tradeRecord(12, T0 + 30_000, 0)]).batch);
    await flusher.whenDrained();
    expect(consumer.deadLetters.map((letter) => [letter.record.offset, letter.reason])).toEqual([['12', expect.stringMatching(/^too late: window \[/)]]);
    const counted = async (name: string) => (await metrics.registry.getSingleMetric(name)?.get())?.values[0]?.value;
    expect([await counted('aggregator_window_corrections_total'), await counted('aggregator_duplicates_dropped_total'), await counted('aggregator_events_too_late_total')]).toEqual([1, 2, 1]);
  });
});
