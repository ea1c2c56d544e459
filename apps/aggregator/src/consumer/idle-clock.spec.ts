import { FETCH_FRESH_MS, IdleClock } from './idle-clock';

describe('IdleClock', () => {
  it('counts wall time of a caught-up partition while the consumer keeps fetching', () => {
    const clock = new IdleClock(0);
    clock.reset([0, 1]);
    clock.batchDone(0, true, 100);
    clock.batchDone(1, false, 100);
    expect(clock.tick(1_000, 1_000, 0)).toEqual([[0, 900]]);
    expect(clock.tick(1_500, 1_400, 0)).toEqual([[0, 1_400]]);
  });

  it('counts nothing while fetches are stale or came before the end of the last pause', () => {
    const clock = new IdleClock(0);
    clock.batchDone(0, true, 0);
    expect(clock.tick(5_000, 5_000 - FETCH_FRESH_MS, 0)).toEqual([]);
    expect(clock.tick(6_000, 5_900, 5_950)).toEqual([]);
    expect(clock.tick(7_000, 6_950, Number.POSITIVE_INFINITY)).toEqual([]);
    expect(clock.tick(8_000, 7_990, 5_950)).toEqual([[0, 1_000]]); // only the last tick's time
  });

  it('restarts the count with every batch, and skips a partition while a batch is applied', () => {
    const clock = new IdleClock(0);
    clock.batchDone(0, true, 0);
    expect(clock.tick(1_000, 1_000, 0)).toEqual([[0, 1_000]]);
    clock.batchStarted(0);
    expect(clock.tick(2_000, 2_000, 0)).toEqual([]);
    clock.batchDone(0, true, 2_500);
    expect(clock.tick(3_000, 3_000, 0)).toEqual([[0, 500]]);
  });
});
