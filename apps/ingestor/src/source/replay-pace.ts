/** A pause shorter than this is carried over to the next trade instead of slept. */
const MIN_SLEEP_MS = 5;

/**
 * Paces a replay at real time × `speed`: {@link wait} sleeps until the wall clock reaches a trade's
 * time, scaled, counted from the first trade. Speed 0 never waits.
 */
export class ReplayPace {
  #start: { tradeMs: number; wallMs: number } | undefined;

  constructor(private readonly speed: number) {}

  async wait(tradeMs: number): Promise<void> {
    if (this.speed === 0) return;
    if (this.#start === undefined) {
      this.#start = { tradeMs, wallMs: Date.now() };
      return;
    }
    const waitMs = this.#start.wallMs + (tradeMs - this.#start.tradeMs) / this.speed - Date.now();
    if (waitMs >= MIN_SLEEP_MS) await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}
