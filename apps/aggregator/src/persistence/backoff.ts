/** Exponential backoff with full jitter: attempt 1 → up to 100 ms, doubling, capped at `maxMs`. */
export function backoffMs(attempt: number, maxMs = 5_000, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, 100 * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
