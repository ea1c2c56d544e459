import { TradeIdRanges } from './trade-id-ranges';

describe('TradeIdRanges', () => {
  it('keeps contiguous ids as one range and reports a repeated id as a duplicate', () => {
    const ids = new TradeIdRanges();
    for (const id of [5, 6, 7, 8]) expect(ids.add(id)).toBe(true);
    expect(ids.rangeCount).toBe(1);
    expect(ids.add(6)).toBe(false);
    expect(ids.has(8)).toBe(true);
    expect(ids.has(9)).toBe(false);
  });

  it('agrees with a Set on random ids, merging ranges that meet', () => {
    let seed = 7;
    const random = (n: number): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n);
    for (let round = 0; round < 50; round++) {
      const ids = new TradeIdRanges();
      const set = new Set<number>();
      for (let i = 0; i < 200; i++) {
        const id = random(120);
        expect(ids.add(id)).toBe(!set.has(id));
        set.add(id);
      }
      for (let id = 0; id < 125; id++) expect(ids.has(id)).toBe(set.has(id));
      const sorted = [...set].sort((a, b) => a - b);
      const runs = sorted.filter((id, i) => i === 0 || sorted[i - 1] !== id - 1).length;
      expect(ids.rangeCount).toBe(runs);
    }
  });
});
