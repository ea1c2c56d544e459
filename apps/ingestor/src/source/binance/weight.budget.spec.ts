import { WeightBudget } from './weight.budget';

describe('WeightBudget', () => {
  it('lets requests through until 90 % of the limit, then waits for the next window', () => {
    const budget = new WeightBudget(100, 60_000);
    const t0 = 120_000;
    for (let index = 0; index < 22; index += 1) {
      expect(budget.delayBeforeMs(4, t0 + index)).toBe(0);
      budget.reserve(4, t0 + index);
    }
    expect(budget.delayBeforeMs(4, t0 + 30_000)).toBe(30_000);
    expect(budget.delayBeforeMs(4, t0 + 60_000)).toBe(0);
  });

  it('takes the used weight Binance reports as the authority', () => {
    const budget = new WeightBudget(100, 60_000);
    budget.noteUsedWeight(88, 1000);
    expect(budget.delayBeforeMs(4, 1000)).toBe(59_000);
    budget.noteUsedWeight(10, 2000);
    expect(budget.delayBeforeMs(4, 2000)).toBe(0);
  });

  it('holds every request until a Retry-After or ban has passed, and says why', () => {
    const budget = new WeightBudget(6000, 60_000);
    budget.block(5000, 'banned by Binance (418)');
    expect(budget.delayBeforeMs(1, 2000)).toBe(3000);
    expect(budget.blocked(2000)).toEqual({ untilMs: 5000, reason: 'banned by Binance (418)' });
    budget.block(4000, 'shorter 429');
    expect(budget.blocked(4500)?.reason).toBe('banned by Binance (418)');
    expect(budget.delayBeforeMs(1, 5000)).toBe(0);
    expect(budget.blocked(5000)).toBeUndefined();
  });
});
