import { RecoveryTimer } from './recovery.timer';

describe('RecoveryTimer', () => {
  it('times a recovery from the first look that found the symbol recovering, and restarts after it is live again', () => {
    const timer = new RecoveryTimer();
    expect(timer.note('BTCUSDT', false, 1_000)).toBe(0);
    expect(timer.note('BTCUSDT', true, 2_000)).toBe(0);
    expect(timer.note('BTCUSDT', true, 2_250)).toBe(250);
    expect(timer.note('ETHUSDT', true, 2_250)).toBe(0);
    expect(timer.note('BTCUSDT', true, 9_000)).toBe(7_000);
    expect(timer.note('BTCUSDT', false, 9_250)).toBe(0);
    expect(timer.note('BTCUSDT', true, 20_000)).toBe(0);
    expect(timer.note('ETHUSDT', true, 20_000)).toBe(17_750);
  });
});
