import { nextProgressRoundMs } from './progress-schedule';

describe('nextProgressRoundMs', () => {
  const T = Date.UTC(2026, 11, 4, 20, 0); // a minute's start

  it('is due when stream time minus the lag has just passed the next multiple of the interval', () => {
    // lag 1000 + delay 40 + slack 10: the round at T + 1050 claims T + 0 for a live symbol.
    expect(nextProgressRoundMs(T + 1_000, 250, 1_050)).toBe(T + 1_050);
    expect(nextProgressRoundMs(T + 1_049, 250, 1_050)).toBe(T + 1_050);
    expect(nextProgressRoundMs(T + 1_050, 250, 1_050)).toBe(T + 1_300);
    expect(nextProgressRoundMs(T + 1_299.5, 250, 1_050)).toBe(T + 1_300);
  });

  it('is always later than now and at most an interval away', () => {
    for (const offsetMs of [0, 7, 210, 1_050, 61_234]) {
      for (let nowMs = T; nowMs < T + 1_000; nowMs += 13) {
        const next = nextProgressRoundMs(nowMs, 50, offsetMs);
        expect(next).toBeGreaterThan(nowMs);
        expect(next - nowMs).toBeLessThanOrEqual(50);
        expect(Math.abs((next - offsetMs) % 50)).toBe(0);
      }
    }
  });
});
