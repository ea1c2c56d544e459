import 'reflect-metadata';
import { MultiSizeWindowEngine } from '@cryptostream/windowing';
import { PartitionRecord, PartitionWindows } from './partition-windows';

const T0 = Date.UTC(2025, 2, 4); // window [T0; T0+60000)
const trade = (offset: number, eventTimeMs: number, price = '1.5', symbol = 'TRXUSDT'): PartitionRecord => ({
  offset: String(offset),
  value: Buffer.from(JSON.stringify({ symbol, price, quantity: '2', timestamp: eventTimeMs / 1000, eventTimeMs })),
});
/** Written windows are kept for corrections only with allowedLatenessMs > 0 (then a restart replays them too). */
const engine = (initialWatermarkMs?: number, sizesMs = [60_000], replayUntilSequence?: number, allowedLatenessMs = 0) =>
  new MultiSizeWindowEngine({ sizesMs, graceMs: 1_000, initialWatermarkMs, latePolicy: 'correct', allowedLatenessMs, replayUntilSequence });
const message = (offset: number, fields: Record<string, unknown>): PartitionRecord => ({ offset: String(offset), value: Buffer.from(JSON.stringify(fields)) });

describe('PartitionWindows', () => {
  it('resumes from the first offset of the oldest open window, and from the next offset once all are closed', () => {
    const windows = new PartitionWindows('prices', 0, engine(), { startOffset: 10 });
    windows.ingest([trade(10, T0 + 1_000), trade(11, T0 + 2_000), trade(12, T0 + 61_500)]);
    expect(windows.takeClosed()).toHaveLength(1);
    expect(windows.progress('g')).toEqual({
      consumerGroup: 'g', topic: 'prices', partition: 0, resumeOffset: 12, nextOffset: 13, watermarkMs: T0 + 60_500,
    });
  });

  it('sends invalid records to the dead-letter list with a reason and moves past them', () => {
    const windows = new PartitionWindows('prices', 1, engine(), { startOffset: 0 });
    const outcome = windows.ingest([{ offset: '0', value: Buffer.from('not json') }, trade(1, T0), { offset: '2', value: null }]);
    expect(outcome.rejected.map((r) => [r.record.offset, r.reason])).toEqual([
      ['0', expect.stringMatching(/not JSON/)],
      ['2', 'empty message'],
    ]);
    expect(outcome.accepted).toBe(1);
    expect(windows.nextOffset).toBe(3);
  });

  it('counts events of closed windows as late, but not when they are replays of written windows', () => {
    // Restarted from a stored watermark past the first window, re-reading offsets 5..7 that were
    // taken into account before the crash (nextOffset 8), then a genuinely late event at 8.
    const windows = new PartitionWindows('prices', 0, engine(T0 + 60_000, [60_000], 8, 60_000), { startOffset: 5, replayUntilOffset: 8 });
    const outcome = windows.ingest([trade(5, T0 + 100), trade(6, T0 + 200), trade(7, T0 + 60_100), trade(8, T0 + 300)]);
    expect(outcome).toMatchObject({ replayed: 2, accepted: 1, late: [{ offset: '8', symbol: 'TRXUSDT' }] });
  });

  it('skips records it has already seen in this assignment', () => {
    const windows = new PartitionWindows('prices', 0, engine(), { startOffset: 0 });
    windows.ingest([trade(0, T0), trade(1, T0 + 1)]);
    expect(windows.ingest([trade(1, T0 + 1), trade(2, T0 + 2)]).accepted).toBe(1);
  });

  it('closes each symbol of a partition\'s source-progress record on its own word, and reads the one-symbol record too', () => {
    const windows = new PartitionWindows('prices', 0, engine(), { startOffset: 0 });
    windows.ingest([
      trade(0, T0 + 1_000),
      trade(1, T0 + 2_000, '2.5', 'ETHUSDT'),
      message(2, { kind: 'progress', atMs: T0 + 61_000, live: { TRXUSDT: T0 + 60_000 }, recovering: { ETHUSDT: T0 + 2_001 } }),
      trade(3, T0 + 70_000, '1.6'),
    ]);
    // ETHUSDT is recovering short of its window's end: held, however far the watermark is.
    expect(windows.takeClosed()).toMatchObject([{ symbol: 'TRXUSDT', startMs: T0, eventCount: 1 }]);
    windows.ingest([message(4, { kind: 'progress', symbol: 'ETHUSDT', completeUpToMs: T0 + 60_000, state: 'live', atMs: T0 + 71_000 })]);
    expect(windows.takeClosed()).toMatchObject([{ symbol: 'ETHUSDT', startMs: T0, eventCount: 1 }]);
  });

  it('lets idle wall time close the windows of a quiet partition, counted from the newest event time', () => {
    const windows = new PartitionWindows('prices', 0, engine(), { startOffset: 0 });
    windows.ingest([trade(0, T0 + 30_000)]);
    windows.advanceIdle(30_999); // event clock T0+60999: watermark T0+59999
    expect(windows.takeClosed()).toEqual([]);
    windows.advanceIdle(31_000); // event clock T0+61000: watermark T0+60000
    expect(windows.takeClosed()).toMatchObject([{ symbol: 'TRXUSDT', startMs: T0, eventCount: 1 }]);
    expect(windows.progress('g')).toMatchObject({ resumeOffset: 1, watermarkMs: T0 + 60_000 });
  });

  it('marks windows of REST ticker observations as ticker windows', () => {
    const windows = new PartitionWindows('prices', 0, engine(), { startOffset: 0 });
    windows.ingest([
      message(0, { symbol: 'BTCUSDT', price: '43200.12', timestamp: (T0 + 1_000) / 1000, eventTimeMs: T0 + 1_000, source: 'rest-ticker' }),
      trade(1, T0 + 2_000),
      trade(2, T0 + 70_000),
    ]);
    expect(windows.takeClosed().map((w) => [w.symbol, w.source])).toEqual([['BTCUSDT', 'ticker'], ['TRXUSDT', undefined]]);
  });

  it('gives COIN-M windows their base volume from the messages\' contract size', () => {
    const windows = new PartitionWindows('prices', 0, engine(), { startOffset: 0 });
    const perp = (offset: number, eventTimeMs: number) =>
      message(offset, { symbol: 'TRXUSD_PERP', price: '0.23097', quantity: '32.0', timestamp: eventTimeMs / 1000, eventTimeMs, contractSize: '10' });
    windows.ingest([perp(0, T0 + 1_000), perp(1, T0 + 61_500)]);
    expect(windows.takeClosed()).toMatchObject([{ symbol: 'TRXUSD_PERP', volume: '32', baseVolume: '1385.46131532' }]);
  });

  it('gives windows the taker-buy volumes of the messages whose buyer took (isBuyerMaker false), COIN-M by contract size', () => {
    const windows = new PartitionWindows('prices', 0, engine(), { startOffset: 0 });
    const at = (offset: number, symbol: string, eventTimeMs: number, isBuyerMaker: boolean, extra = {}) =>
      message(offset, { symbol, price: '0.23097', quantity: '32.0', timestamp: eventTimeMs / 1000, eventTimeMs, isBuyerMaker, ...extra });
    windows.ingest([
      at(0, 'TRXUSDT', T0 + 1_000, false), at(1, 'TRXUSDT', T0 + 2_000, true),
      at(2, 'TRXUSD_PERP', T0 + 3_000, false, { contractSize: '10' }), at(3, 'TRXUSD_PERP', T0 + 4_000, true, { contractSize: '10' }),
      trade(4, T0 + 61_500),
    ]);
    expect(windows.takeClosed()).toMatchObject([
      { symbol: 'TRXUSDT', volume: '64', takerBuyVolume: '32', takerBuyQuoteVolume: '7.39104' },
      { symbol: 'TRXUSD_PERP', volume: '64', baseVolume: '2770.92263064', takerBuyVolume: '32', takerBuyBaseVolume: '1385.46131532' },
    ]);
  });

  it('hands out the state of the larger windows with the progress it belongs to', () => {
    const windows = new PartitionWindows('prices', 0, engine(undefined, [60_000, 300_000]), { startOffset: 0 });
    windows.ingest([trade(0, T0 + 1_000), trade(1, T0 + 61_500)]);
    windows.takeClosed();
    expect(windows.takeState('g')).toEqual({
      consumerGroup: 'g', topic: 'prices', partition: 0, asOfWatermarkMs: T0 + 60_500,
      // The open 5m window: its first minute, settled (the engine's allowed lateness is 0 here), merged.
      states: [{ sizeMs: 300_000, symbol: 'TRXUSDT', rollups: [expect.objectContaining({ startMs: T0, emissions: 0, frozenUntilMs: T0 + 60_000, parts: [], frozen: expect.objectContaining({ endMs: T0 + 300_000, eventCount: 1, priceSum: '1.5' }) })] }],
    });
    expect(windows.takeState('g')).toBeUndefined();
  });
});
