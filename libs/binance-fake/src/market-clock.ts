/**
 * Maps the wall clock to the recording's time: the market starts at the earliest recorded trade
 * when the fake starts and runs at `speed` × real time. Pausing freezes the market (no new
 * trades become visible), so that a test can wait for a client to catch up with a known end.
 */
export class MarketClock {
  #originMarketMs: number;
  #originWallMs: number;
  #pausedAtMarketMs: number | undefined;

  constructor(
    startMarketMs: number,
    private readonly speed: number,
    private readonly now: () => number = Date.now,
  ) {
    this.#originMarketMs = startMarketMs;
    this.#originWallMs = now();
  }

  /** The recording time up to which trades have "happened". */
  marketNowMs(): number {
    return this.#pausedAtMarketMs ?? this.#originMarketMs + (this.now() - this.#originWallMs) * this.speed;
  }

  pause(): void {
    this.#pausedAtMarketMs ??= this.marketNowMs();
  }

  resume(): void {
    if (this.#pausedAtMarketMs === undefined) return;
    this.#originMarketMs = this.#pausedAtMarketMs;
    this.#originWallMs = this.now();
    this.#pausedAtMarketMs = undefined;
  }

  /** Jumps the market forward (or back) by `marketMs`. */
  advance(marketMs: number): void {
    if (this.#pausedAtMarketMs !== undefined) this.#pausedAtMarketMs += marketMs;
    else this.#originMarketMs += marketMs;
  }
}
