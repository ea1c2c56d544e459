import { nextProgressRoundMs, ProgressScheduler } from './progress.scheduler';
import { StreamClock } from './stream.clock';

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

describe('ProgressScheduler', () => {
  const T = Date.UTC(2026, 11, 4, 20, 0);
  const options = { intervalMs: 250, lagMs: 1_000 };
  let rounds: number[];
  let stream: { isOpen: boolean; lastFrameAtMs: number | undefined };
  let clock: StreamClock<typeof stream>;
  let scheduler: ProgressScheduler<typeof stream>;

  beforeEach(() => {
    jest.useFakeTimers({ now: T });
    rounds = [];
    stream = { isOpen: true, lastFrameAtMs: undefined };
    clock = new StreamClock();
    scheduler = new ProgressScheduler(options, [stream], clock, () => rounds.push(Date.now() - T));
  });

  afterEach(() => {
    scheduler.stop();
    jest.useRealTimers();
  });

  /** A trade `delayMs` old on arrival now, and every `everyMs` after it until `untilMs` (a busy stream). */
  function trades(delayMs: number, everyMs: number, untilMs: number): void {
    const arrive = () => {
      stream.lastFrameAtMs = Date.now();
      clock.noteTrade(stream, Date.now(), Date.now() - delayMs);
      if (Date.now() - T + everyMs <= untilMs) setTimeout(arrive, everyMs);
    };
    arrive();
  }

  it('comes just after stream time minus the lag passes each multiple of the interval', () => {
    clock.noteTrade(stream, T, T - 40);
    scheduler.start();
    jest.advanceTimersByTime(1_000);
    // offset lag 1000 + delay 40 + slack 10 = 1050: 1050 mod 250 = 50.
    expect(rounds).toEqual([50, 300, 550, 800]);
  });

  it('follows a stream whose delay grows: the rounds move with its time', () => {
    clock.noteTrade(stream, T, T - 40);
    scheduler.start();
    jest.advanceTimersByTime(400);
    clock.noteTrade(stream, T + 400, T + 400 - 140);
    jest.advanceTimersByTime(600);
    // The round due at 550 was set at 300; from then on the offset is 1000 + 140 + 10 = 1150.
    expect(rounds).toEqual([50, 300, 550, 650, 900]);
  });

  it('looks again while a busy stream has not reached the multiple, and goes once it has', () => {
    // Frames every 30 ms, each 40 ms old. The round at +50 is for the multiple −1000 (stream time minus lag),
    // but the newest frame, at +30, has only carried the stream to −10 − 1000 = −1010; the one at +60 passes it.
    trades(40, 30, 1_000);
    scheduler.start();
    jest.advanceTimersByTime(100);
    expect(rounds).toEqual([50, 60]);
  });

  it('gives up waiting half an interval after the round', () => {
    trades(40, 30, 30); // frames at 0 and 30, then none: the stream stays busy (a frame within the interval) and behind
    scheduler.start();
    jest.advanceTimersByTime(200);
    expect(rounds).toEqual([50, 50 + 125]);
  });

  it('publishes no round after stop', () => {
    scheduler.start();
    jest.advanceTimersByTime(300);
    const before = rounds.length;
    scheduler.stop();
    jest.advanceTimersByTime(2_000);
    expect(rounds).toHaveLength(before);
  });
});
