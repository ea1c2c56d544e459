/** Past the newest trade's delay, for the frame that carries the stream past the instant. */
export const PROGRESS_ALIGN_SLACK_MS = 10;

/** How often a round that found a busy stream short of its multiple looks again. */
export const PROGRESS_CATCH_UP_POLL_MS = 5;

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
