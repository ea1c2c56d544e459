/** What the engine keeps of one symbol's source progress (see `observeSourceProgress`). */
interface SourceClock {
  /** Every trade with event time < this has been given to the engine (never goes back). */
  completeUpToMs: number;
  /** Engine clock time of the newest progress report: how fresh the source's word is. */
  seenAtMs: number;
}

/**
 * Per-symbol source progress, the watermarks an ingestor sends in band. While a symbol's source
 * reports, its windows close when the source says the symbol is complete past their end — not
 * before, however far other symbols' trades or the wall clock have moved — so a recovering symbol
 * holds its windows open. A symbol whose source went quiet for longer than `timeoutMs` (of the
 * engine's clock) falls back to the engine's watermark, as a symbol without any source does.
 */
export class SourceClocks {
  readonly #clocks = new Map<string, SourceClock>();

  constructor(private readonly timeoutMs: number) {}

  get size(): number {
    return this.#clocks.size;
  }

  observe(symbol: string, completeUpToMs: number, seenAtMs: number): void {
    const clock = this.#clocks.get(symbol);
    if (clock === undefined) {
      this.#clocks.set(symbol, { completeUpToMs, seenAtMs });
      return;
    }
    // Several sources (a restarted ingestor, two for availability) may report: each claim is
    // true when it is made, so the furthest one holds.
    if (completeUpToMs > clock.completeUpToMs) clock.completeUpToMs = completeUpToMs;
    if (seenAtMs > clock.seenAtMs) clock.seenAtMs = seenAtMs;
  }

  /**
   * Up to where `symbol`'s windows may close: its source's completeUpToMs while the source is
   * fresh at `clockMs`, else `watermarkMs`.
   */
  boundOf(symbol: string, watermarkMs: number, clockMs: number): number {
    const clock = this.#clocks.get(symbol);
    if (clock === undefined || clockMs - clock.seenAtMs > this.timeoutMs) return watermarkMs;
    return clock.completeUpToMs;
  }

  /** Whether `symbol` has a source whose word (fresh or not) does not cover `endMs`. */
  unconfirmed(symbol: string, endMs: number): boolean {
    const clock = this.#clocks.get(symbol);
    return clock !== undefined && clock.completeUpToMs < endMs;
  }
}
