import { emptyWindow, EmptyWindowFiller } from './empty-windows';
import type { WindowFigures } from './window.types';

const SIZE_MS = 20_000;

/** A real window of one trade at `price`. */
function real(startMs: number, price: string): WindowFigures {
  return { ...emptyWindow('BBB', startMs, SIZE_MS, price), volume: '1', quoteVolume: price, vwap: price, tradeCount: 1, eventCount: 1, priceSum: price };
}

const rows = (windows: readonly WindowFigures[]) => windows.map((w) => `${w.startMs} ${w.eventCount === 0 ? 'empty' : 'real'} close ${w.close} revision ${w.revision}`);

describe('EmptyWindowFiller', () => {
  it('fills the holes before a real window with the previous close, and up to the watermark', () => {
    const filler = new EmptyWindowFiller(SIZE_MS);
    const none = () => undefined;
    expect(rows(filler.record(real(0, '5'), none))).toEqual(['0 real close 5 revision 0']);
    expect(rows(filler.record(real(60_000, '7'), none))).toEqual(['20000 empty close 5 revision 0', '40000 empty close 5 revision 0', '60000 real close 7 revision 0']);
    expect(rows(filler.fillUpTo(125_000, none))).toEqual(['80000 empty close 7 revision 0', '100000 empty close 7 revision 0']);
  });

  it('makes a late real window a revision of the empty row that one earlier in the same batch wrote, though the batch settles both', () => {
    const filler = new EmptyWindowFiller(SIZE_MS);
    const none = () => undefined;
    filler.record(real(40_000, '1'), none);
    filler.fillUpTo(120_000, none);
    filler.settle(-1);
    // Two late windows before the first real one, closed together, the clock's settled bound past both.
    const batch = [...filler.record(real(0, '2'), none), ...filler.record(real(20_000, '3'), none)];
    filler.settle(60_000);
    expect(rows(batch)).toEqual(['0 real close 2 revision 0', '20000 empty close 2 revision 0', '20000 real close 3 revision 1']);
  });
});
