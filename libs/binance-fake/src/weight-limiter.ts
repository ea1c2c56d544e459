/** What the limiter decided for one request. */
export type WeightDecision =
  | { readonly ok: true; readonly usedWeight: number }
  | { readonly ok: false; readonly status: 429 | 418; readonly retryAfterSec: number; readonly usedWeight: number; readonly untilMs: number };

export interface WeightLimiterOptions {
  /** REQUEST_WEIGHT per window; Binance spot: 6000 per minute. */
  readonly limit?: number;
  /** Window length; Binance counts per calendar minute (60000). */
  readonly windowMs?: number;
  /** How long an IP that keeps asking after a 429 is banned (Binance: 2 minutes to 3 days). */
  readonly banMs?: number;
}

/**
 * Binance's IP weight accounting: every request adds its weight to the current window
 * (reported as `X-MBX-USED-WEIGHT-1M`); going over the limit answers 429 with `Retry-After`
 * until the window ends; asking again while told to wait earns a 418 ban.
 */
export class WeightLimiter {
  readonly limit: number;
  readonly windowMs: number;
  readonly banMs: number;
  #windowStartMs = 0;
  #used = 0;
  #blockedUntilMs = 0;
  #bannedUntilMs = 0;

  constructor({ limit = 6000, windowMs = 60_000, banMs = 120_000 }: WeightLimiterOptions = {}) {
    this.limit = limit;
    this.windowMs = windowMs;
    this.banMs = banMs;
  }

  request(weight: number, nowMs: number): WeightDecision {
    const windowStart = nowMs - (nowMs % this.windowMs);
    if (windowStart !== this.#windowStartMs) {
      this.#windowStartMs = windowStart;
      this.#used = 0;
    }
    this.#used += weight;
    if (nowMs < this.#bannedUntilMs) return this.#refuse(418, this.#bannedUntilMs, nowMs);
    if (nowMs < this.#blockedUntilMs) {
      this.#bannedUntilMs = nowMs + this.banMs;
      return this.#refuse(418, this.#bannedUntilMs, nowMs);
    }
    if (this.#used > this.limit) {
      this.#blockedUntilMs = windowStart + this.windowMs;
      return this.#refuse(429, this.#blockedUntilMs, nowMs);
    }
    return { ok: true, usedWeight: this.#used };
  }

  /** Bans the IP for `ms` from now, as Binance does after repeated violations. */
  ban(ms: number, nowMs: number): void {
    this.#bannedUntilMs = nowMs + ms;
  }

  #refuse(status: 429 | 418, untilMs: number, nowMs: number): WeightDecision {
    return { ok: false, status, untilMs, retryAfterSec: Math.max(1, Math.ceil((untilMs - nowMs) / 1000)), usedWeight: this.#used };
  }
}
