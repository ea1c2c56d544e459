/** What the clock needs of a connection: whether it is open, and when its newest frame came. */
export interface ClockedStream {
  readonly isOpen: boolean;
  /** Wall time of the newest frame (data or ping). */
  readonly lastFrameAtMs: number | undefined;
}

/**
 * Binance's time on each connection: receive time minus trade time of its newest trade is the
 * connection's delay, and its newest frame minus that delay is how far its stream has come.
 * Event times are Binance's, so progress is claimed in that time, never in this machine's.
 */
export class StreamClock<S extends ClockedStream = ClockedStream> {
  readonly #delayOf = new Map<S, number>();

  noteTrade(stream: S, receivedAtMs: number, tradeTimeMs: number): void {
    this.#delayOf.set(stream, receivedAtMs - tradeTimeMs);
  }

  /** Wall time minus stream time of `stream`, once it has had a trade. */
  delayOf(stream: S | undefined): number | undefined {
    return stream && this.#delayOf.get(stream);
  }

  /** The largest delay of any stream (0 before any trade). */
  largestDelayMs(): number {
    let delayMs = 0;
    for (const delay of this.#delayOf.values()) if (delay > delayMs) delayMs = delay;
    return delayMs;
  }

  /** The stream's newest frame (a trade of any symbol, a ping) in Binance's time. */
  streamTimeOf(stream: S | undefined): number | undefined {
    const delayMs = this.delayOf(stream);
    const lastFrameAtMs = stream?.lastFrameAtMs;
    return lastFrameAtMs === undefined || delayMs === undefined ? undefined : lastFrameAtMs - delayMs;
  }
}
