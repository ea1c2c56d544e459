import { TumblingWindowEngine } from './tumbling-window-engine';
import type { TradeEvent } from './window.types';

const trade = (eventTimeMs: number, price: string, quantity = '1', extra: Partial<TradeEvent> = {}): TradeEvent => ({
  symbol: 'BTCUSDT', eventTimeMs, price, quantity, ...extra,
});

describe('TumblingWindowEngine', () => {
  describe('windows and watermark', () => {
    it('puts events in epoch-aligned windows [0;60000) then [60000;120000)', () => {
      const engine = new TumblingWindowEngine();
      engine.add(trade(0, '1'));
      engine.add(trade(59_999, '2'));
      engine.add(trade(60_000, '3'));
      const windows = engine.closeAll();
      expect(windows.map((w) => [w.startMs, w.endMs, w.eventCount])).toEqual([[0, 60_000, 2], [60_000, 120_000, 1]]);
    });

    it('emits the window when the watermark passes its end plus grace', () => {
      const engine = new TumblingWindowEngine({ graceMs: 5_000 });
      engine.add(trade(10_000, '1'));
      engine.add(trade(64_999, '1'));
      expect(engine.watermarkMs).toBe(59_999);
      expect(engine.drainClosed()).toEqual([]);
      engine.add(trade(65_000, '1'));
      expect(engine.drainClosed().map((w) => w.startMs)).toEqual([0]);
      expect(engine.openWindowCount).toBe(1);
    });

    it('accepts an out-of-order event within grace and counts it in its window', () => {
      const engine = new TumblingWindowEngine({ graceMs: 5_000 });
      engine.add(trade(61_000, '2'));
      expect(engine.add(trade(58_000, '1'))).toEqual({ kind: 'accepted' });
      expect(engine.closeAll().map((w) => [w.startMs, w.eventCount])).toEqual([[0, 1], [60_000, 1]]);
    });

    it('closes a quiet symbol\'s window when processing time advances, with no new event', () => {
      const engine = new TumblingWindowEngine({ graceMs: 2_000 });
      engine.add(trade(30_000, '1'));
      engine.advanceTo(61_999);
      expect(engine.drainClosed()).toEqual([]);
      engine.advanceTo(62_000);
      expect(engine.drainClosed().map((w) => w.endMs)).toEqual([60_000]);
      engine.advanceTo(1_000);
      expect(engine.watermarkMs).toBe(60_000);
    });

    it('emits closed windows ordered by end, then symbol', () => {
      const engine = new TumblingWindowEngine({ graceMs: 70_000 });
      engine.add({ ...trade(70_000, '1'), symbol: 'ETHUSDT' });
      engine.add({ ...trade(1_000, '1'), symbol: 'ETHUSDT' });
      engine.add({ ...trade(2_000, '1'), symbol: 'BTCUSDT' });
      engine.add({ ...trade(3_000, '1'), symbol: 'ADAUSDT' });
      engine.add({ ...trade(75_000, '1'), symbol: 'BTCUSDT' });
      engine.advanceTo(200_000);
      expect(engine.drainClosed().map((w) => `${w.endMs} ${w.symbol}`)).toEqual([
        '60000 ADAUSDT', '60000 BTCUSDT', '60000 ETHUSDT', '120000 BTCUSDT', '120000 ETHUSDT',
      ]);
    });

    it('starts from initialWatermarkMs: replayed events of written windows are late, not counted twice', () => {
      const engine = new TumblingWindowEngine({ initialWatermarkMs: 120_000 });
      expect(engine.add(trade(119_999, '1'))).toMatchObject({ kind: 'late', windowStartMs: 60_000, watermarkMs: 120_000 });
      expect(engine.add(trade(120_000, '1')).kind).toBe('accepted');
      expect(engine.closeAll().map((w) => w.startMs)).toEqual([120_000]);
    });
  });

  describe('live views of open windows', () => {
    it('shows each open window that took events since the last look, without closing or emitting it', () => {
      const engine = new TumblingWindowEngine();
      engine.add(trade(1_000, '2', '1'));
      engine.add(trade(2_000, '3', '2'));
      engine.add(trade(3_000, '5', '1', { symbol: 'ETHUSDT' }));
      expect(engine.changedOpenWindows().map((w) => [w.symbol, w.close, w.volume, w.revision])).toEqual([
        ['BTCUSDT', '3', '3', 0],
        ['ETHUSDT', '5', '1', 0],
      ]);
      expect(engine.changedOpenWindows()).toEqual([]);
      engine.add(trade(4_000, '4'));
      expect(engine.changedOpenWindows().map((w) => [w.symbol, w.close, w.eventCount])).toEqual([['BTCUSDT', '4', 3]]);
      const closed = engine.closeAll();
      expect(closed.map((w) => [w.symbol, w.close, w.revision])).toEqual([['BTCUSDT', '4', 0], ['ETHUSDT', '5', 0]]);
      expect(engine.changedOpenWindows()).toEqual([]);
    });
  });

  describe('late events', () => {
    it('reports a late event with its window and watermark, and drops it by default', () => {
      const engine = new TumblingWindowEngine();
      engine.add(trade(1_000, '1'));
      engine.add(trade(61_000, '1'));
      expect(engine.add(trade(59_000, '5'))).toEqual({
        kind: 'late', windowStartMs: 0, watermarkMs: 61_000, corrected: false, tooLate: true,
        reason: 'window [0;60000) of BTCUSDT closed at 61000',
      });
      expect(engine.lateCount).toBe(1);
      expect(engine.closeAll()[0]).toMatchObject({ startMs: 0, high: '1', eventCount: 1, revision: 0 });
    });

    it('re-emits a corrected window with revision + 1 under the correct policy', () => {
      const engine = new TumblingWindowEngine({ latePolicy: 'correct' });
      engine.add(trade(1_000, '1', '2', { tradeId: 1 }));
      engine.add(trade(61_000, '1', '1', { tradeId: 3 }));
      expect(engine.drainClosed()).toMatchObject([{ startMs: 0, volume: '2', revision: 0 }]);
      expect(engine.add(trade(59_000, '5', '1', { tradeId: 2 }))).toMatchObject({ kind: 'late', corrected: true });
      expect(engine.drainClosed()).toMatchObject([{ startMs: 0, volume: '3', high: '5', close: '5', eventCount: 2, revision: 1 }]);
      engine.add(trade(59_500, '6', '1', { tradeId: 4 }));
      engine.add(trade(30_000, '7', '1', { tradeId: 5 }));
      expect(engine.drainClosed()).toMatchObject([{ startMs: 0, eventCount: 4, high: '7', revision: 2 }]);
    });

    it('after a restart, folds replayed events back into written windows and corrects them exactly', () => {
      const engine = new TumblingWindowEngine({ latePolicy: 'correct', initialWatermarkMs: 60_000, replayUntilSequence: 2 });
      expect(engine.add(trade(1_000, '1', '1', { tradeId: 1, sequence: 0 }))).toMatchObject({ kind: 'late', corrected: false, tooLate: false });
      expect(engine.add(trade(2_000, '3', '1', { tradeId: 2, sequence: 1 }))).toMatchObject({ kind: 'late', corrected: false, tooLate: false });
      expect(engine.drainClosed()).toEqual([]);
      expect(engine.add(trade(2_000, '3', '1', { tradeId: 2, sequence: 2 })).kind).toBe('duplicate');
      expect(engine.add(trade(3_000, '2', '1', { tradeId: 3, sequence: 3 }))).toMatchObject({ kind: 'late', corrected: true });
      expect(engine.drainClosed()).toMatchObject([{ startMs: 0, eventCount: 3, open: '1', high: '3', close: '2', volume: '3', revision: 1 }]);
      expect(engine.lateCount).toBe(1);
    });

    it('under the correct policy, drops events beyond allowedLatenessMs', () => {
      const engine = new TumblingWindowEngine({ latePolicy: 'correct', allowedLatenessMs: 60_000 });
      engine.add(trade(1_000, '1'));
      engine.add(trade(120_000, '1'));
      engine.drainClosed();
      expect(engine.add(trade(2_000, '1'))).toMatchObject({ kind: 'late', corrected: false, tooLate: true, reason: expect.stringContaining('too late') });
      expect(engine.add(trade(61_000, '1'))).toMatchObject({ kind: 'late', corrected: true, tooLate: false });
      expect(engine.drainClosed()).toMatchObject([{ startMs: 60_000, revision: 0, eventCount: 1 }]);
    });
  });

  describe('aggregates', () => {
    it('computes exact OHLC, volumes, mean and VWAP (half-up to 8 decimals)', () => {
      const engine = new TumblingWindowEngine();
      engine.add(trade(3_000, '0.1', '3', { tradeId: 12 }));
      engine.add(trade(1_000, '0.2', '1.5', { tradeId: 11 }));
      engine.add(trade(3_000, '0.3', '0', { tradeId: 13 }));
      engine.add(trade(2_000, '0.05', '0.5', { tradeId: 10, tradeCount: 4 }));
      expect(engine.closeAll()).toEqual([{
        symbol: 'BTCUSDT', startMs: 0, endMs: 60_000,
        averagePrice: '0.16250000', open: '0.2', high: '0.3', low: '0.05', close: '0.3',
        volume: '5', quoteVolume: '0.625', vwap: '0.12500000',
        tradeCount: 7, eventCount: 4, firstTradeId: 10, lastTradeId: 13, revision: 0,
      }]);
    });

    it('rounds the averages half up: 0.000000005 → 0.00000001', () => {
      const engine = new TumblingWindowEngine();
      engine.add(trade(1, '0.00000001'));
      engine.add(trade(2, '0.00000001'));
      engine.add(trade(3, '0.00000001'));
      engine.add(trade(4, '0.00000002', '0'));
      // mean 0.0000000125 → 0.00000001; the zero-quantity price leaves the VWAP alone.
      expect(engine.closeAll()[0]).toMatchObject({ averagePrice: '0.00000001', vwap: '0.00000001', high: '0.00000002' });
      const half = new TumblingWindowEngine();
      half.add(trade(1, '0.00000001'));
      half.add(trade(2, '0.00000002'));
      expect(half.closeAll()[0].averagePrice).toBe('0.00000002');
    });

    it('gives a null VWAP when no quantity traded', () => {
      const engine = new TumblingWindowEngine();
      engine.add(trade(1, '43200.12', '0'));
      expect(engine.closeAll()[0]).toMatchObject({ volume: '0', quoteVolume: '0', vwap: null });
    });

    it('stays exact beyond 2^53 (BigInt fallback)', () => {
      const engine = new TumblingWindowEngine();
      for (let i = 0; i < 3; i++) engine.add(trade(i, '99999999999.99999999', '1000000000.12345678'));
      const [window] = engine.closeAll();
      expect(window.volume).toBe('3000000000.37037034');
      expect(window.quoteVolume).toBe('300000000037037033969.9999999962962966');
      expect(window.high).toBe('99999999999.99999999');
    });

    it('treats 0.10 and 0.1 as the same price and prints decimals without trailing zeros', () => {
      const engine = new TumblingWindowEngine();
      engine.add(trade(1, '0.10', '243.0'));
      engine.add(trade(2, '0.1', '7'));
      expect(engine.closeAll()[0]).toMatchObject({ open: '0.1', high: '0.1', volume: '250', quoteVolume: '25' });
    });
  });

  describe('recovery', () => {
    it('reports the oldest sequence still needed by an open window', () => {
      const engine = new TumblingWindowEngine();
      expect(engine.oldestOpenSequence()).toBeUndefined();
      engine.add(trade(1_000, '1', '1', { sequence: 5, symbol: 'A' }));
      engine.add(trade(2_000, '1', '1', { sequence: 6, symbol: 'B' }));
      engine.add(trade(61_000, '1', '1', { sequence: 7, symbol: 'B' }));
      expect(engine.oldestOpenSequence()).toBe(5);
      engine.drainClosed();
      expect(engine.oldestOpenSequence()).toBe(7);
    });
  });

  describe('contract', () => {
    it('rejects a tradeCount that is not a positive integer', () => {
      expect(() => new TumblingWindowEngine().add(trade(1, '1', '1', { tradeCount: 0 }))).toThrow(/tradeCount must be a positive integer/);
    });

    it.each([
      [{ windowSizeMs: 1_500 }, /windowSizeMs must be a whole number of seconds/],
      [{ windowSizeMs: 0 }, /windowSizeMs/],
      [{ windowSizeMs: 86_401_000 }, /windowSizeMs/],
      [{ graceMs: -1 }, /graceMs/],
      [{ latePolicy: 'keep' as never }, /latePolicy/],
      [{ initialWatermarkMs: Number.NaN }, /initialWatermarkMs/],
    ])('rejects the options %p, naming the option', (options, message) => {
      expect(() => new TumblingWindowEngine(options)).toThrow(message);
    });

    it.each([['0'], ['-1'], ['1e5'], [''], ['1.'], ['.5'], ['abc']])('rejects the price %p without changing state', (price) => {
      const engine = new TumblingWindowEngine();
      expect(() => engine.add(trade(1_000, price))).toThrow(/price must be a decimal string greater than zero/);
      expect(engine.openWindowCount).toBe(0);
      expect(engine.watermarkMs).toBe(Number.NEGATIVE_INFINITY);
    });
  });
});

describe('TumblingWindowEngine exactPriceSum', () => {
  it('adds the exact Σ price to each closed window only when asked', () => {
    const withSum = new TumblingWindowEngine({ exactPriceSum: true });
    const without = new TumblingWindowEngine();
    for (const engine of [withSum, without]) {
      engine.add(trade(1, '0.1'));
      engine.add(trade(2, '0.20000000000000000001'));
      engine.add(trade(3, '3'));
    }
    expect(withSum.closeAll()[0].priceSum).toBe('3.30000000000000000001');
    expect(without.closeAll()[0]).not.toHaveProperty('priceSum');
  });
});
