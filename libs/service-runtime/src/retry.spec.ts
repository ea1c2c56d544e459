import { CryptostreamError } from '@cryptostream/schema';
import { backoffDelayMs, isRetriable, retry, sleep } from './retry';

describe('backoffDelayMs', () => {
  it('draws from 0 up to the capped exponential (full jitter)', () => {
    const options = { baseMs: 100, maxMs: 1_000 };
    expect([1, 2, 3, 4, 10].map((attempt) => backoffDelayMs(attempt, { ...options, random: () => 0 }))).toEqual([0, 0, 0, 0, 0]);
    expect([1, 2, 3, 4, 10].map((attempt) => backoffDelayMs(attempt, { ...options, random: () => 0.999_999 }))).toEqual([99, 199, 399, 799, 999]);
    expect(backoffDelayMs(3, { ...options, random: () => 0.5 })).toBe(200);
  });
});

describe('retry', () => {
  const fast = { baseMs: 1, maxMs: 2 };

  it('tries again until the work succeeds, reporting each failure', async () => {
    const reported: number[] = [];
    const result = await retry(
      async (attempt) => {
        if (attempt < 3) throw new Error(`down ${attempt}`);
        return 'up';
      },
      { ...fast, onRetry: (_error, attempt) => reported.push(attempt) },
    );
    expect([result, reported]).toEqual(['up', [1, 2]]);
  });

  it('rethrows at once an error that says it is not retriable', async () => {
    let attempts = 0;
    const refused = new CryptostreamError('bad request', { retriable: false });
    await expect(retry(async () => ++attempts && Promise.reject(refused), fast)).rejects.toBe(refused);
    expect(attempts).toBe(1);
    expect([isRetriable(new CryptostreamError('broker down', { retriable: true })), isRetriable(new Error('ECONNREFUSED'))]).toEqual([true, true]);
    // kafkajs says `retriable: false` once its own retries ran out; a later attempt may still pass.
    expect(isRetriable(Object.assign(new Error('Number of retries exceeded'), { retriable: false }))).toBe(true);
  });

  it('gives up after maxAttempts with the last error', async () => {
    let attempts = 0;
    await expect(retry(async () => Promise.reject(new Error(`failure ${++attempts}`)), { ...fast, maxAttempts: 3 })).rejects.toThrow('failure 3');
  });

  it('stops waiting as soon as it is aborted (shutdown)', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const retrying = retry(async () => Promise.reject(new Error('down')), { baseMs: 60_000, maxMs: 60_000, random: () => 0.5, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('shutting down')), 20);
    await expect(retrying).rejects.toThrow('shutting down');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('sleep', () => {
  it('rejects at once when already aborted, and resolves after the time otherwise', async () => {
    await expect(sleep(60_000, AbortSignal.abort(new Error('stopped')))).rejects.toThrow('stopped');
    await expect(sleep(1, new AbortController().signal)).resolves.toBeUndefined();
  });
});
