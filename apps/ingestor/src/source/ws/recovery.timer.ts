/**
 * How long each symbol has been recovering: its stream down, or the trades it missed being
 * fetched from REST. Fed with each symbol's state as the source looks at it (every
 * SOURCE_PROGRESS_INTERVAL_MS), so a recovery is timed to within that interval.
 */
export class RecoveryTimer {
  readonly #since = new Map<string, number>();

  /** The symbol's state at `nowMs`; returns how long it has been recovering, in ms (0 while live). */
  note(symbol: string, recovering: boolean, nowMs: number): number {
    if (!recovering) {
      this.#since.delete(symbol);
      return 0;
    }
    const since = this.#since.get(symbol) ?? nowMs;
    this.#since.set(symbol, since);
    return nowMs - since;
  }
}
