import { ClockedStream, StreamClock } from './stream.clock';

/** Past the newest trade's delay, for the frame that carries the stream past the instant. */
const PROGRESS_ALIGN_SLACK_MS = 10;

/** How often a round that found a busy stream short of its multiple looks again. */
const PROGRESS_CATCH_UP_POLL_MS = 5;

/**
 * When the next round of source-progress records is due: the first wall time after `nowMs` at
 * which stream time minus the lag (what a live symbol is complete up to) has just passed a
 * multiple of the interval, i.e. `k × intervalMs + offsetMs` with offsetMs = lag + the streams'
 * delay (wall time minus trade time) + a slack. Window ends are multiples of the interval when it
 * divides the window size (250 ms and whole seconds): a window then closes on the first round
 * after its end has been verified, not up to an interval later.
 */
export function nextProgressRoundMs(nowMs: number, intervalMs: number, offsetMs: number): number {
  return Math.floor((nowMs - offsetMs) / intervalMs + 1) * intervalMs + offsetMs;
}

export interface ProgressSchedulerOptions {
  readonly intervalMs: number;
  readonly lagMs: number;
}

/**
 * Calls `publishRound` on each round of source progress ({@link nextProgressRoundMs}, offset by
 * the largest delay of the streams). A busy stream (a frame within the interval) whose frames had
 * not reached the round's multiple yet (a gap between frames, a delay above the estimate) would
 * leave its symbols' window ends to the next round: the round then looks again every
 * {@link PROGRESS_CATCH_UP_POLL_MS} and publishes once they have, or half an interval later.
 */
export class ProgressScheduler<S extends ClockedStream = ClockedStream> {
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(
    private readonly options: ProgressSchedulerOptions,
    private readonly streams: readonly S[],
    private readonly clock: StreamClock<S>,
    private readonly publishRound: () => void,
  ) {}

  start(): void {
    this.#scheduleRound();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #scheduleRound(): void {
    const { intervalMs, lagMs } = this.options;
    const offsetMs = lagMs + this.clock.largestDelayMs() + PROGRESS_ALIGN_SLACK_MS;
    const nowMs = Date.now();
    const dueMs = nextProgressRoundMs(nowMs, intervalMs, offsetMs);
    this.#timer = setTimeout(() => {
      this.publishRound();
      if (this.#stopped) return;
      if (this.#busyStreamBehind(dueMs - offsetMs)) this.#catchUp(dueMs - offsetMs, dueMs + intervalMs / 2);
      else this.#scheduleRound();
    }, dueMs - nowMs);
  }

  #catchUp(boundaryMs: number, untilMs: number): void {
    this.#timer = setTimeout(() => {
      if (this.#stopped) return;
      if (this.#busyStreamBehind(boundaryMs) && Date.now() < untilMs) return this.#catchUp(boundaryMs, untilMs);
      this.publishRound();
      if (!this.#stopped) this.#scheduleRound();
    }, PROGRESS_CATCH_UP_POLL_MS);
  }

  /** Whether an open stream with a frame in the last interval claims less than `boundaryMs` (stream time − lag). */
  #busyStreamBehind(boundaryMs: number): boolean {
    const nowMs = Date.now();
    for (const stream of this.streams) {
      const streamTimeMs = this.clock.streamTimeOf(stream);
      const lastFrameAtMs = stream.lastFrameAtMs;
      if (!stream.isOpen || streamTimeMs === undefined || lastFrameAtMs === undefined || nowMs - lastFrameAtMs > this.options.intervalMs) continue;
      if (streamTimeMs - this.options.lagMs < boundaryMs) return true;
    }
    return false;
  }
}
