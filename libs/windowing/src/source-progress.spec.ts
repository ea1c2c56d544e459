import { TumblingWindowEngine } from './tumbling-window-engine';
import type { TradeEvent } from './window.types';

const trade = (symbol: string, eventTimeMs: number, tradeId: number, price = '1'): TradeEvent => ({ symbol, eventTimeMs, price, quantity: '1', tradeId });
const starts = (windows: readonly { symbol: string; startMs: number }[]): string[] => windows.map((w) => `${w.symbol}@${w.startMs}`);

describe('TumblingWindowEngine with source progress', () => {
  const options = { graceMs: 2_000, latePolicy: 'correct' as const, allowedLatenessMs: 300_000, sourceTimeoutMs: 60_000 };

  it('holds a recovering symbol open while the watermark closes the others', () => {
    const engine = new TumblingWindowEngine(options);
    engine.observeSourceProgress({ symbol: 'AAA', completeUpToMs: 45_000, atMs: 45_000 });
    engine.add(trade('AAA', 44_000, 1));
    engine.add(trade('BBB', 50_000, 1));
    engine.add(trade('BBB', 80_000, 2));
    expect(starts(engine.drainClosed())).toEqual(['BBB@0']);
    // AAA's source is still filling its gap: the recovered trades are counted, not late.
    engine.observeSourceProgress({ symbol: 'AAA', completeUpToMs: 45_000, atMs: 81_000 });
    expect(engine.add(trade('AAA', 58_000, 2)).kind).toBe('accepted');
    expect(engine.drainClosed()).toEqual([]);
    engine.observeSourceProgress({ symbol: 'AAA', completeUpToMs: 61_000, atMs: 82_000 });
    expect(engine.drainClosed()).toMatchObject([{ symbol: 'AAA', startMs: 0, tradeCount: 2, revision: 0 }]);
    expect(engine.closedWithoutSourceCount).toBe(0);
  });

  it('closes a symbol as soon as its source says it is complete past the end, without waiting for grace', () => {
    const engine = new TumblingWindowEngine(options);
    engine.add(trade('AAA', 59_000, 1));
    engine.observeSourceProgress({ symbol: 'AAA', completeUpToMs: 60_000, atMs: 60_500 });
    expect(engine.watermarkMs).toBe(57_000);
    expect(starts(engine.drainClosed())).toEqual(['AAA@0']);
  });

  it('stores a written watermark before the earliest held window, and resumes from its first event', () => {
    const engine = new TumblingWindowEngine(options);
    engine.observeSourceProgress({ symbol: 'AAA', completeUpToMs: 10_000, atMs: 10_000 });
    engine.add({ ...trade('AAA', 30_000, 1), sequence: 7 });
    engine.add({ ...trade('BBB', 130_000, 1), sequence: 8 });
    engine.observeSourceProgress({ symbol: 'AAA', completeUpToMs: 10_000, atMs: 130_000 });
    expect(engine.drainClosed()).toEqual([]);
    expect(engine.watermarkMs).toBe(128_000);
    expect(engine.writtenWatermarkMs).toBe(0);
    expect(engine.oldestOpenSequence()).toBe(7);
  });

  it('keeps a window evicted under a higher written watermark too late after a held symbol steps that watermark back', () => {
    const engine = new TumblingWindowEngine({ ...options, allowedLatenessMs: 120_000, sourceTimeoutMs: 600_000 });
    engine.observeSourceProgress({ symbol: 'A', completeUpToMs: 600_000, atMs: 600_000 });
    engine.add(trade('B', 600_001, 1));
    engine.add(trade('B', 840_000, 2));
    engine.observeSourceProgress({ symbol: 'B', completeUpToMs: 840_000, atMs: 840_000 });
    expect(starts(engine.drainClosed())).toContain('B@600000');
    engine.add(trade('C', 840_005, 1));
    engine.add(trade('B', 780_100, 3));
    engine.drainClosed();
    // A's source still says 600 000: its trade opens a window behind the written watermark.
    engine.add(trade('A', 600_005, 1));
    expect(engine.writtenWatermarkMs).toBe(600_000);
    // B@600000 was evicted (600 000 + 60 000 + 120 000 <= 840 000 when it was drained): too late,
    // not a fresh window holding only this trade that would overwrite the written row.
    expect(engine.add(trade('B', 600_002, 4))).toMatchObject({ kind: 'late', corrected: false, tooLate: true });
    expect(engine.drainClosed().filter((w) => w.symbol === 'B' && w.startMs === 600_000)).toEqual([]);
  });

  it('falls back to the watermark when the source stops reporting, and counts it', () => {
    const engine = new TumblingWindowEngine(options);
    engine.observeSourceProgress({ symbol: 'AAA', completeUpToMs: 30_000, atMs: 30_000 });
    engine.add(trade('AAA', 31_000, 1));
    engine.advanceTo(89_999);
    expect(engine.drainClosed()).toEqual([]);
    engine.advanceTo(90_001);
    expect(starts(engine.drainClosed())).toEqual(['AAA@0']);
    expect(engine.closedWithoutSourceCount).toBe(1);
    // The source comes back with the rest of the minute: a correction, revision + 1.
    engine.observeSourceProgress({ symbol: 'AAA', completeUpToMs: 95_000, atMs: 95_000 });
    expect(engine.add(trade('AAA', 50_000, 2))).toMatchObject({ kind: 'late', corrected: true });
    expect(engine.drainClosed()).toMatchObject([{ symbol: 'AAA', startMs: 0, tradeCount: 2, revision: 1 }]);
  });

  it('drops a trade id counted already, in an open or a written window, and counts it', () => {
    const engine = new TumblingWindowEngine(options);
    engine.add(trade('AAA', 1_000, 1));
    engine.add(trade('BBB', 1_000, 1));
    expect(engine.add(trade('AAA', 1_000, 1))).toMatchObject({ kind: 'duplicate', windowStartMs: 0 });
    engine.add(trade('AAA', 70_000, 2));
    expect(engine.drainClosed()).toMatchObject([{ symbol: 'AAA', tradeCount: 1 }, { symbol: 'BBB', tradeCount: 1 }]);
    expect(engine.add(trade('AAA', 1_000, 1)).kind).toBe('duplicate');
    expect(engine.drainClosed()).toEqual([]);
    expect(engine.duplicateCount).toBe(2);
  });

  it('reports a trade beyond allowedLatenessMs as too late', () => {
    const engine = new TumblingWindowEngine({ ...options, allowedLatenessMs: 60_000 });
    engine.add(trade('AAA', 1_000, 1));
    engine.add(trade('AAA', 200_000, 5));
    engine.drainClosed();
    expect(engine.add(trade('AAA', 2_000, 2))).toMatchObject({ kind: 'late', corrected: false, tooLate: true });
  });
});
