import { Backpressure, PendingWindows } from './backpressure';

describe('Backpressure', () => {
  it('pauses the topic while the flusher is full and resumes once it has room, from then on reading', async () => {
    let room!: () => void;
    const pending: PendingWindows = { pendingWindows: 10, isFull: false, whenRoomAgain: () => new Promise<void>((resolve) => (room = resolve)) };
    const calls: string[] = [];
    let nowMs = 1_000;
    const backpressure = new Backpressure(pending, { pauseAll: () => calls.push('pause'), resumeAll: () => calls.push('resume') }, () => nowMs, {
      log: () => undefined,
      warn: () => undefined,
    });
    backpressure.check();
    expect([calls, backpressure.readingSinceMs]).toEqual([[], 0]);
    Object.assign(pending, { isFull: true });
    backpressure.check();
    backpressure.check();
    expect([calls, backpressure.readingSinceMs]).toEqual([['pause'], Number.POSITIVE_INFINITY]);
    nowMs = 5_000;
    room();
    await new Promise(setImmediate);
    expect([calls, backpressure.readingSinceMs]).toEqual([['pause', 'resume'], 5_000]);
  });
});
