import { MultiSizeWindowEngine } from './multi-size-window-engine';
import { TumblingWindowEngine } from './tumbling-window-engine';
import type { WindowFigures, TradeEvent } from './window.types';

const MINUTE = 60_000;
const trade = (eventTimeMs: number, price: string, quantity: string, tradeId: number, isBuyerMaker: boolean | undefined, symbol = 'TRXUSDT'): TradeEvent => ({
  symbol, eventTimeMs, price, quantity, tradeId, ...(isBuyerMaker === undefined ? {} : { isBuyerMaker }),
});
const taker = (w: WindowFigures) => [(w.endMs - w.startMs) / MINUTE, w.startMs / MINUTE, w.revision, w.volume, w.takerBuyVolume, w.takerBuyQuoteVolume, w.takerBuyBaseVolume];

describe('taker-buy volumes (Binance kline fields 9 and 10)', () => {
  it('sums quantity and price × quantity of the trades whose buyer took (isBuyerMaker false), exactly', () => {
    const engine = new TumblingWindowEngine({ windowSizeMs: MINUTE });
    engine.add(trade(1_000, '0.23103', '243', 1, false));
    engine.add(trade(2_000, '0.23102', '85', 2, true));
    engine.add(trade(3_000, '0.1', '0.2', 3, false));
    expect(engine.closeAll()).toMatchObject([{ volume: '328.2', takerBuyVolume: '243.2', takerBuyQuoteVolume: '56.16029' }]);
  });

  it('gives 0 when only sellers took, and no taker-buy volumes at all when a trade’s side is unknown', () => {
    const engine = new TumblingWindowEngine({ windowSizeMs: MINUTE });
    engine.add(trade(1_000, '2', '3', 1, true));
    engine.add(trade(61_000, '2', '3', 2, false));
    engine.add(trade(62_000, '2', '3', 3, undefined));
    const [sellers, unknown] = engine.closeAll();
    expect(sellers).toMatchObject({ takerBuyVolume: '0', takerBuyQuoteVolume: '0' });
    expect(unknown.volume).toBe('6');
    expect(unknown).not.toHaveProperty('takerBuyVolume');
    expect(unknown).not.toHaveProperty('takerBuyQuoteVolume');
  });

  it('rolls them up into every larger size and revises them at every size under corrections', () => {
    const engine = new MultiSizeWindowEngine({ sizesMs: [MINUTE, 5 * MINUTE], latePolicy: 'correct', allowedLatenessMs: 30 * MINUTE });
    engine.add(trade(10_000, '2', '1', 1, false));
    engine.add(trade(70_000, '3', '2', 2, true));
    engine.add(trade(130_000, '0.5', '4', 3, false));
    engine.add(trade(6 * MINUTE, '1', '1', 4, true));
    expect(engine.drainClosed().map(taker)).toEqual([
      [1, 0, 0, '1', '1', '2', undefined], [1, 1, 0, '2', '0', '0', undefined], [1, 2, 0, '4', '4', '2', undefined], [5, 0, 0, '7', '5', '4', undefined],
    ]);
    expect(engine.add(trade(80_000, '1.25', '0.5', 5, false))).toMatchObject({ kind: 'late', corrected: true });
    expect(engine.drainClosed().map(taker)).toEqual([[1, 1, 1, '2.5', '0.5', '0.625', undefined], [5, 0, 1, '7.5', '5.5', '4.625', undefined]]);
  });

  it('gives COIN-M windows a taker buy base volume by the contract-size rule of the base volume, at every size', () => {
    const engine = new MultiSizeWindowEngine({ sizesMs: [MINUTE, 5 * MINUTE] });
    const coin = (eventTimeMs: number, price: string, quantity: string, tradeId: number, isBuyerMaker: boolean): TradeEvent => ({
      ...trade(eventTimeMs, price, quantity, tradeId, isBuyerMaker, 'TRXUSD_PERP'), contractSize: '10',
    });
    engine.add(coin(4_986, '0.23097', '32.0', 1, false)); // 1385.46131532
    engine.add(coin(6_215, '0.23089', '6.0', 2, true)); // 259.86400450
    engine.add(coin(61_000, '0.3', '1', 3, false)); // 33.33333333
    const windows = engine.closeAll();
    expect(windows.map((w) => [(w.endMs - w.startMs) / MINUTE, w.baseVolume, w.takerBuyVolume, w.takerBuyBaseVolume])).toEqual([
      [1, '1645.32531982', '32', '1385.46131532'], [1, '33.33333333', '1', '33.33333333'], [5, '1678.65865315', '33', '1418.79464865'],
    ]);
  });

  it('restores a larger window saved before taker-buy volumes were kept: every other figure exact, the taker-buy ones unknown', () => {
    const first = new MultiSizeWindowEngine({ sizesMs: [MINUTE, 5 * MINUTE] });
    first.add(trade(10_000, '2', '1', 1, false));
    first.add(trade(70_000, '3', '2', 2, false));
    first.drainClosed();
    const saved = first.takeStateChanges();
    // What a window_state row of the previous version holds: the same partial, without the new sums.
    const old = JSON.parse(JSON.stringify(saved), (key, value) => (key.startsWith('takerBuy') ? undefined : value));
    const restart = (restored: typeof saved) => {
      const engine = new MultiSizeWindowEngine({ sizesMs: [MINUTE, 5 * MINUTE], initialWatermarkMs: first.watermarkMs, restored });
      engine.add(trade(70_000, '3', '2', 2, false)); // replayed: its minute was open at the save
      engine.add(trade(130_000, '0.5', '4', 3, false));
      return engine.closeAll().find((w) => w.endMs - w.startMs === 5 * MINUTE)!;
    };
    const fromNew = restart(saved);
    const fromOld = restart(old);
    expect(fromNew).toMatchObject({ volume: '7', takerBuyVolume: '7', takerBuyQuoteVolume: '10' });
    const { takerBuyVolume, takerBuyQuoteVolume, ...figures } = fromNew;
    expect([takerBuyVolume, takerBuyQuoteVolume]).toEqual(['7', '10']);
    expect(fromOld).toEqual(figures);
  });
});
