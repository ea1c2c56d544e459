import 'reflect-metadata';
import type { PartitionProgress } from '@cryptostream/persistence';
import { MultiSizeWindowEngine } from '@cryptostream/windowing';
import { loadAggregatorConfig } from '../config/aggregator.config';
import { PartitionBatch } from './batch-decision';
import { WindowsService } from './windows.service';

const T0 = Date.UTC(2025, 2, 4); // window [T0; T0+60000)
const batch = (...trades: Array<[offset: number, eventTimeMs: number] | [offset: number, raw: string]>): PartitionBatch => ({
  topic: 'prices',
  partition: 0,
  records: trades.map(([offset, time]) => ({
    offset: String(offset),
    value: Buffer.from(typeof time === 'string' ? time : JSON.stringify({ symbol: 'TRXUSDT', price: '2', quantity: '1', timestamp: time / 1000, eventTimeMs: time })),
  })),
});
const stored = (resumeOffset: number, nextOffset: number, watermarkMs: number | null): PartitionProgress => ({
  consumerGroup: 'cryptostream-aggregator', topic: 'prices', partition: 0, resumeOffset, nextOffset, watermarkMs,
});

describe('WindowsService (decisions, no I/O)', () => {
  let windows: WindowsService;

  beforeEach(() => {
    const engine = (initialWatermarkMs: number | null, _restored?: unknown, replayUntilSequence?: number) =>
      new MultiSizeWindowEngine({ sizesMs: [60_000], graceMs: 1_000, latePolicy: 'correct', allowedLatenessMs: 60_000, initialWatermarkMs: initialWatermarkMs ?? undefined, replayUntilSequence });
    windows = new WindowsService(loadAggregatorConfig({}), engine);
    windows.assign('prices', [0]);
  });

  it('decides to seek to the stored resume offset on the first batch, then starts there', () => {
    expect(windows.needsStoredProgress(0)).toBe(true);
    expect(windows.decide(batch([0, T0]), stored(3, 5, null))).toEqual({ kind: 'seek', offset: 3 });
    expect(windows.decide(batch([3, T0], [4, T0 + 1]), stored(3, 5, null))).toMatchObject({ kind: 'windows', accepted: 2 });
    expect(windows.needsStoredProgress(0)).toBe(false);
  });

  it('returns rejected records, closed windows and the progress that passes them, in one decision', () => {
    const decision = windows.decide(batch([0, T0], [1, 'not json'], [2, T0 + 61_000]), null);
    expect(decision).toMatchObject({
      kind: 'windows',
      partition: 0,
      rejected: [{ record: { offset: '1' }, reason: expect.stringMatching(/not JSON/) }],
      late: [],
      closed: [{ symbol: 'TRXUSDT', startMs: T0, eventCount: 1 }],
      // The written window still takes corrections: a restart replays it from its first offset.
      progress: { resumeOffset: 0, nextOffset: 3, watermarkMs: T0 + 60_000 },
    });
  });

  it('reports events of written windows after a restart as replays, and genuinely late ones as late (a correction)', () => {
    const decision = windows.decide(batch([5, T0 + 100], [6, T0 + 60_100], [7, T0 + 200]), stored(5, 7, T0 + 60_000));
    expect(decision).toMatchObject({ kind: 'windows', accepted: 1, late: [{ offset: '7', symbol: 'TRXUSDT' }] });
  });

  it('closes idle windows only when some closed, and forgets a partition on request', () => {
    windows.decide(batch([0, T0 + 30_000]), null);
    expect(windows.closeIdle(0, 30_000)).toBeUndefined();
    // The closed window takes corrections for a minute: a restart would replay it from offset 0.
    expect(windows.closeIdle(0, 31_000)).toMatchObject({ closed: [{ startMs: T0 }], progress: { resumeOffset: 0, nextOffset: 1 } });
    windows.forget(0);
    expect(windows.needsStoredProgress(0)).toBe(true);
    expect(windows.closeIdle(0, 100_000)).toBeUndefined();
  });

  it('returns the open windows that changed since the last look, once per change', () => {
    windows.decide(batch([0, T0 + 1_000], [1, T0 + 2_000]), null);
    expect(windows.changedOpenWindows()).toMatchObject({ kind: 'open-windows', windows: [{ symbol: 'TRXUSDT', startMs: T0, eventCount: 2 }] });
    expect(windows.changedOpenWindows().windows).toEqual([]);
    windows.decide(batch([2, T0 + 3_000]), null);
    expect(windows.changedOpenWindows().windows).toMatchObject([{ eventCount: 3 }]);
  });
});
