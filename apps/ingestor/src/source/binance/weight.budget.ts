/** Slow down once this share of the weight limit is used. */
const HEADROOM = 0.9;

/**
 * Keeps REST calls within Binance's request-weight budget: remembers the used weight Binance
 * reports (`X-MBX-USED-WEIGHT-1M`) and any `Retry-After` it imposed (429) or ban (418), and says
 * how long to wait before a request of a given weight. Windows are aligned to the epoch, as
 * Binance's minutes are.
 */
export class WeightBudget {
  #windowStartMs = 0;
  #usedWeight = 0;
  #blockedUntilMs = 0;
  #blockReason: string | undefined;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds to wait before sending a request of `weight` at `nowMs` (0: go). */
  delayBeforeMs(weight: number, nowMs: number): number {
    if (nowMs < this.#blockedUntilMs) return this.#blockedUntilMs - nowMs;
    const windowStart = this.#windowOf(nowMs);
    if (windowStart !== this.#windowStartMs) return 0;
    if (this.#usedWeight + weight > this.limit * HEADROOM) return windowStart + this.windowMs - nowMs;
    return 0;
  }

  /** Counts a request about to be sent (so that concurrent callers see it before Binance answers). */
  reserve(weight: number, nowMs: number): void {
    const windowStart = this.#windowOf(nowMs);
    if (windowStart !== this.#windowStartMs) {
      this.#windowStartMs = windowStart;
      this.#usedWeight = 0;
    }
    this.#usedWeight += weight;
  }

  /** Takes Binance's own count, the authority, from an answer. */
  noteUsedWeight(usedWeight: number, nowMs: number): void {
    if (!Number.isFinite(usedWeight)) return;
    this.#windowStartMs = this.#windowOf(nowMs);
    this.#usedWeight = usedWeight;
  }

  /** Binance told us to wait (429 Retry-After) or banned us (418) until `untilMs`. */
  block(untilMs: number, reason: string): void {
    if (untilMs > this.#blockedUntilMs) {
      this.#blockedUntilMs = untilMs;
      this.#blockReason = reason;
    }
  }

  /** Why and until when requests are held back, if they are. */
  blocked(nowMs: number): { untilMs: number; reason: string } | undefined {
    return nowMs < this.#blockedUntilMs ? { untilMs: this.#blockedUntilMs, reason: this.#blockReason ?? 'rate limited' } : undefined;
  }

  get usedWeight(): number {
    return this.#usedWeight;
  }

  #windowOf(nowMs: number): number {
    return nowMs - (nowMs % this.windowMs);
  }
}
