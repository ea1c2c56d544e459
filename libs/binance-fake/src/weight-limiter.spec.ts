import { WeightLimiter } from './weight-limiter';

describe('WeightLimiter', () => {
  it('counts weight per window and answers 429 with the seconds left once over the limit', () => {
    const limiter = new WeightLimiter({ limit: 10, windowMs: 60_000 });
    expect(limiter.request(4, 60_000)).toEqual({ ok: true, usedWeight: 4 });
    expect(limiter.request(4, 61_000)).toEqual({ ok: true, usedWeight: 8 });
    expect(limiter.request(4, 90_000)).toEqual(expect.objectContaining({ ok: false, status: 429, retryAfterSec: 30, usedWeight: 12 }));
    expect(limiter.request(4, 120_000)).toEqual({ ok: true, usedWeight: 4 });
  });

  it('bans with 418 a client that asks again while told to wait, for the ban duration', () => {
    const limiter = new WeightLimiter({ limit: 4, windowMs: 60_000, banMs: 120_000 });
    limiter.request(4, 0);
    expect(limiter.request(4, 1000)).toEqual(expect.objectContaining({ status: 429 }));
    expect(limiter.request(4, 2000)).toEqual(expect.objectContaining({ status: 418, retryAfterSec: 120 }));
    expect(limiter.request(1, 121_000)).toEqual(expect.objectContaining({ status: 418, retryAfterSec: 1 }));
    expect(limiter.request(1, 122_000)).toEqual({ ok: true, usedWeight: 2 });
  });
});
