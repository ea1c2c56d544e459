import { SourceProgressTracker } from './source-progress.tracker';

const T = Date.UTC(2025, 2, 4, 0, 0, 45);
const live = (streamTimeMs: number | undefined) => ({ open: true, recovering: false, streamTimeMs });

describe('SourceProgressTracker', () => {
  it('says nothing of a symbol before any evidence, then complete up to the newest frame minus the lag', () => {
    const tracker = new SourceProgressTracker(1_000);
    expect(tracker.next('TRXUSDT', live(undefined), T)).toBeUndefined();
    expect(tracker.next('TRXUSDT', live(T), T + 5)).toEqual({ symbol: 'TRXUSDT', completeUpToMs: T - 1_000, state: 'live', atMs: T + 5 });
  });

  it('holds where it was while the connection is silent, closed or recovering, and never goes back', () => {
    const tracker = new SourceProgressTracker(1_000);
    tracker.next('TRXUSDT', live(T), T);
    // Silent: frames stopped at T, the wall clock runs on.
    expect(tracker.next('TRXUSDT', live(T), T + 20_000)).toMatchObject({ completeUpToMs: T - 1_000, state: 'live' });
    expect(tracker.next('TRXUSDT', { open: false, recovering: false, streamTimeMs: T + 30_000 }, T + 30_000)).toMatchObject({ completeUpToMs: T - 1_000, state: 'recovering' });
    // Recovered trades, published in sequence, move it on while still recovering.
    tracker.published('TRXUSDT', T + 10_000);
    expect(tracker.next('TRXUSDT', { open: true, recovering: true, streamTimeMs: T + 31_000 }, T + 31_000)).toMatchObject({ completeUpToMs: T + 10_000, state: 'recovering' });
    tracker.published('TRXUSDT', T + 5_000);
    expect(tracker.next('TRXUSDT', live(T + 9_000), T + 32_000)).toMatchObject({ completeUpToMs: T + 10_000, state: 'live' });
    expect(tracker.next('TRXUSDT', live(T + 33_000), T + 33_000)).toMatchObject({ completeUpToMs: T + 32_000, state: 'live' });
  });

  it('keeps symbols apart', () => {
    const tracker = new SourceProgressTracker(500);
    tracker.published('AAA', T);
    expect(tracker.next('BBB', { open: true, recovering: true, streamTimeMs: T }, T)).toBeUndefined();
    expect(tracker.next('AAA', { open: true, recovering: true, streamTimeMs: T }, T)).toMatchObject({ completeUpToMs: T });
  });
});
