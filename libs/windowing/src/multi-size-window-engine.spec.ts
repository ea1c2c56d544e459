import { parseWindowSizes } from './kline-interval';
import { MultiSizeWindowEngine } from './multi-size-window-engine';
import { TumblingWindowEngine } from './tumbling-window-engine';
import type { TradeEvent } from './window.types';

const MINUTE = 60_000;
const trade = (eventTimeMs: number, price: string, quantity = '1', tradeId?: number): TradeEvent => ({
  symbol: 'TRXUSD_PERP', eventTimeMs, price, quantity, ...(tradeId === undefined ? {} : { tradeId }),
});
const summary = (w: { startMs: number; endMs: number; open: string; high: string; low: string; close: string; volume: string; eventCount: number; tradeCount: number }) =>
  `${(w.endMs - w.startMs) / MINUTE}m@${w.startMs / MINUTE} ${w.open}/${w.high}/${w.low}/${w.close} v${w.volume} e${w.eventCount} t${w.tradeCount}`;

describe('MultiSizeWindowEngine', () => {
  it('rolls 1m windows up into 5m ones: first open, last close, max high, min low, sums', () => {
    const engine = new MultiSizeWindowEngine({ sizesMs: [MINUTE, 5 * MINUTE] });
    engine.add(trade(10_000, '2', '1', 1));
    engine.add(trade(70_000, '5', '2', 2));
    engine.add(trade(250_000, '1', '3', 3));
    engine.add(trade(299_999, '3', '4', 4));
    engine.add(trade(300_000, '9', '1', 5));
    expect(engine.drainClosed().map(summary)).toEqual([
      '1m@0 2/2/2/2 v1 e1 t1', '1m@1 5/5/5/5 v2 e1 t1', '1m@4 1/3/1/3 v7 e2 t2', '5m@0 2/5/1/3 v10 e4 t4',
    ]);
    expect(engine.oldestOpenSequence()).toBeUndefined();
  });

  it('averages all prices of a larger window, not the means of its parts', () => {
    const engine = new MultiSizeWindowEngine({ sizesMs: [MINUTE, 5 * MINUTE] });
    engine.add(trade(1_000, '1'));
    engine.add(trade(2_000, '1'));
    engine.add(trade(61_000, '4'));
    const fiveMinutes = engine.closeAll().find((w) => w.endMs - w.startMs === 5 * MINUTE);
    expect(fiveMinutes).toMatchObject({ averagePrice: '2.00000000', priceSum: '6', eventCount: 3 }); // mean of means: 2.5
  });

  it('under carry, writes Binance empty klines for quiet intervals at every size, from the previous close', () => {
    const engine = new MultiSizeWindowEngine({ sizesMs: [MINUTE, 5 * MINUTE], emptyWindows: 'carry' });
    engine.add(trade(10_000, '2'));
    engine.add(trade(20_000, '3'));
    engine.advanceTo(11 * MINUTE);
    expect(engine.drainClosed().map(summary)).toEqual([
      '1m@0 2/3/2/3 v2 e2 t2',
      ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((m) => `1m@${m} 3/3/3/3 v0 e0 t0`),
      '5m@0 2/3/2/3 v2 e2 t2', '5m@5 3/3/3/3 v0 e0 t0',
    ]);
    engine.add(trade(11 * MINUTE + 1, '4'));
    engine.advanceTo(12 * MINUTE);
    const [kline] = engine.drainClosed();
    expect(kline).toMatchObject({ open: '4', close: '4', eventCount: 1 });
  });

  it('under skip, writes only intervals with events', () => {
    const engine = new MultiSizeWindowEngine({ sizesMs: [MINUTE, 5 * MINUTE] });
    engine.add(trade(10_000, '2'));
    engine.advanceTo(11 * MINUTE);
    expect(engine.drainClosed().map(summary)).toEqual(['1m@0 2/2/2/2 v1 e1 t1', '5m@0 2/2/2/2 v1 e1 t1']);
  });

  it('gives COIN-M windows a base volume of Σ quantity × contract size / price, each trade half-up to 8 decimals', () => {
    const engine = new MultiSizeWindowEngine({ sizesMs: [MINUTE, 5 * MINUTE] });
    const coin = (eventTimeMs: number, price: string, quantity: string): TradeEvent => ({ ...trade(eventTimeMs, price, quantity), contractSize: '10' });
    engine.add(coin(4_986, '0.23097', '32.0'));
    engine.add(coin(6_215, '0.23089', '6.0'));
    engine.add(coin(61_000, '0.3', '1'));
    engine.add({ ...trade(62_000, '5'), symbol: 'TRXUSDT' });
    const windows = engine.closeAll();
    expect(windows.map((w) => [w.symbol, (w.endMs - w.startMs) / MINUTE, w.volume, w.baseVolume])).toEqual([
      ['TRXUSD_PERP', 1, '38', '1645.32531982'], // 1385.46131532 + 259.86400450
      ['TRXUSDT', 1, '1', undefined],
      ['TRXUSD_PERP', 1, '1', '33.33333333'],
      ['TRXUSDT', 5, '1', undefined],
      ['TRXUSD_PERP', 5, '39', '1678.65865315'],
    ]);
  });

  it('gives live views of open windows of every size, each as the engine of that size alone sees it', () => {
    const multi = new MultiSizeWindowEngine({ sizesMs: [MINUTE, 5 * MINUTE, 15 * MINUTE] });
    const alone = [5 * MINUTE, 15 * MINUTE].map((windowSizeMs) => new TumblingWindowEngine({ windowSizeMs, exactPriceSum: true }));
    const events = [trade(10_000, '2', '1', 1), trade(70_000, '5', '2', 2), trade(130_000, '1', '3', 3), trade(131_000, '3', '4', 4)];
    for (const event of events) {
      multi.add(event);
      for (const engine of alone) engine.add(event);
    }
    expect(multi.drainClosed().map(summary)).toEqual(['1m@0 2/2/2/2 v1 e1 t1', '1m@1 5/5/5/5 v2 e1 t1']);
    const views = multi.changedOpenWindows();
    expect(views.map(summary)).toEqual(['1m@2 1/3/1/3 v7 e2 t2', '5m@0 2/5/1/3 v10 e4 t4', '15m@0 2/5/1/3 v10 e4 t4']);
    expect(views.slice(1)).toEqual(alone.flatMap((engine) => engine.changedOpenWindows()));
    expect(multi.changedOpenWindows()).toEqual([]);
  });

  it('under the correct policy, a late COIN-M trade revises its finest window with the whole base volume', () => {
    const engine = new MultiSizeWindowEngine({ sizesMs: [MINUTE, 5 * MINUTE], latePolicy: 'correct' });
    const coin = (eventTimeMs: number, price: string, quantity: string, tradeId: number): TradeEvent => ({ ...trade(eventTimeMs, price, quantity, tradeId), contractSize: '10' });
    engine.add(coin(4_986, '0.23097', '32.0', 1));
    engine.add(coin(61_000, '0.3', '1', 3));
    expect(engine.drainClosed().map((w) => [w.startMs, w.revision, w.baseVolume])).toEqual([[0, 0, '1385.46131532']]);
    expect(engine.add(coin(6_215, '0.23089', '6.0', 2))).toMatchObject({ kind: 'late', corrected: true });
    expect(engine.drainClosed().map((w) => [w.startMs, w.revision, w.volume, w.baseVolume])).toEqual([[0, 1, '38', '1645.32531982']]);
  });

  it('under the correct policy, a late trade revises its window at every size (revision + 1 each time), cascading up', () => {
    const engine = new MultiSizeWindowEngine({ sizesMs: [MINUTE, 5 * MINUTE, 15 * MINUTE], latePolicy: 'correct', allowedLatenessMs: 30 * MINUTE });
    engine.add(trade(10_000, '2', '1', 1));
    engine.add(trade(70_000, '5', '2', 2));
    engine.add(trade(16 * MINUTE, '4', '1', 3));
    expect(engine.drainClosed().map(summary)).toEqual(['1m@0 2/2/2/2 v1 e1 t1', '1m@1 5/5/5/5 v2 e1 t1', '5m@0 2/5/2/5 v3 e2 t2', '15m@0 2/5/2/5 v3 e2 t2']);
    // Into a written minute, then into a minute that had no trades: each revises the larger rows.
    expect(engine.add(trade(20_000, '1', '4', 4))).toMatchObject({ kind: 'late', corrected: true });
    const revisions = (windows: ReturnType<MultiSizeWindowEngine['drainClosed']>) => windows.map((w) => `${summary(w)} r${w.revision}`);
    expect(revisions(engine.drainClosed())).toEqual(['1m@0 2/2/1/1 v5 e2 t2 r1', '5m@0 2/5/1/5 v7 e3 t3 r1', '15m@0 2/5/1/5 v7 e3 t3 r1']);
    engine.add(trade(7 * MINUTE, '9', '1', 5));
    engine.add(trade(20_500, '3', '1', 6));
    expect(revisions(engine.drainClosed())).toEqual(['1m@0 2/3/1/3 v6 e3 t3 r2', '1m@7 9/9/9/9 v1 e1 t1 r0', '5m@0 2/5/1/5 v8 e4 t4 r2', '5m@5 9/9/9/9 v1 e1 t1 r0', '15m@0 2/9/1/9 v9 e5 t5 r2']);
  });

  it('under carry and correct, a late trade in an interval written empty revises that row at every size, and the empty rows after it carry its close', () => {
    const engine = new MultiSizeWindowEngine({ sizesMs: [MINUTE, 5 * MINUTE], emptyWindows: 'carry', latePolicy: 'correct', allowedLatenessMs: 30 * MINUTE });
    engine.add(trade(10_000, '2', '1', 1));
    engine.advanceTo(11 * MINUTE);
    expect(engine.drainClosed().filter((w) => w.startMs === 6 * MINUTE).map((w) => `${summary(w)} r${w.revision}`)).toEqual(['1m@6 2/2/2/2 v0 e0 t0 r0']);
    engine.add(trade(6 * MINUTE + 1, '7', '3', 2));
    expect(engine.drainClosed().map((w) => `${summary(w)} r${w.revision}`)).toEqual([
      '1m@6 7/7/7/7 v3 e1 t1 r1', '1m@7 7/7/7/7 v0 e0 t0 r1', '1m@8 7/7/7/7 v0 e0 t0 r1', '1m@9 7/7/7/7 v0 e0 t0 r1', '1m@10 7/7/7/7 v0 e0 t0 r1',
      '5m@5 7/7/7/7 v3 e1 t1 r1',
    ]);
    // A later late trade that does not change the close revises only its own rows.
    engine.add(trade(6 * MINUTE, '8', '1', 3));
    expect(engine.drainClosed().map((w) => `${summary(w)} r${w.revision}`)).toEqual(['1m@6 8/8/7/7 v4 e2 t2 r1', '5m@5 8/8/7/7 v4 e2 t2 r1']); // r > 0: the stored row's revision + 1
    engine.advanceTo(16 * MINUTE);
    expect(engine.drainClosed().filter((w) => w.eventCount === 0).map((w) => `${summary(w)} r${w.revision}`)).toEqual([
      '1m@11 7/7/7/7 v0 e0 t0 r0', '1m@12 7/7/7/7 v0 e0 t0 r0', '1m@13 7/7/7/7 v0 e0 t0 r0', '1m@14 7/7/7/7 v0 e0 t0 r0', '1m@15 7/7/7/7 v0 e0 t0 r0', '5m@10 7/7/7/7 v0 e0 t0 r0',
    ]);
  });

  it('closes a larger window as soon as its source says the symbol is complete past its end, with no part in that drain', () => {
    const engine = new MultiSizeWindowEngine({ sizesMs: [MINUTE, 5 * MINUTE], graceMs: 2_000, latePolicy: 'correct', allowedLatenessMs: 10 * MINUTE });
    engine.observeSourceProgress({ symbol: 'TRXUSD_PERP', completeUpToMs: 4 * MINUTE, atMs: 4 * MINUTE });
    engine.add(trade(3 * MINUTE, '2', '1', 1));
    expect(engine.drainClosed().map(summary)).toEqual(['1m@3 2/2/2/2 v1 e1 t1']);
    // Quiet to the end of the 5m window: the source's word closes it, far ahead of the watermark.
    engine.observeSourceProgress({ symbol: 'TRXUSD_PERP', completeUpToMs: 5 * MINUTE, atMs: 5 * MINUTE });
    expect(engine.watermarkMs).toBeLessThan(5 * MINUTE);
    expect(engine.drainClosed().map(summary)).toEqual(['5m@0 2/2/2/2 v1 e1 t1']);
  });

  it('refuses sizes that the smallest does not divide', () => {
    expect(() => new MultiSizeWindowEngine({ sizesMs: [3 * MINUTE, 5 * MINUTE] })).toThrow('not a whole number of the smallest size');
  });
});

describe('parseWindowSizes', () => {
  it('reads Binance kline intervals, smallest first, without duplicates', () => {
    expect(parseWindowSizes('1d, 5m,1m,4h,15m,1h,1m')).toEqual([
      { ms: 60_000, label: '1m' }, { ms: 300_000, label: '5m' }, { ms: 900_000, label: '15m' },
      { ms: 3_600_000, label: '1h' }, { ms: 14_400_000, label: '4h' }, { ms: 86_400_000, label: '1d' },
    ]);
  });

  it('names what is wrong', () => {
    expect(() => parseWindowSizes('1m,7m')).toThrow('"7m" is not a Binance kline interval of at most a day');
    expect(() => parseWindowSizes('1w')).toThrow('"1w" is not a Binance kline interval');
    expect(() => parseWindowSizes('3m,5m')).toThrow('5m is not a whole number of 3m windows');
    expect(() => parseWindowSizes(' , ')).toThrow('expected a comma-separated list');
  });
});
