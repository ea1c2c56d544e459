import { CryptostreamError } from '@cryptostream/schema';

/** How long to wait between attempts: exponential from `baseMs`, capped at `maxMs`, full jitter. */
export interface BackoffOptions {
  /** The cap of the first delay (attempt 1); each attempt doubles it. */
  readonly baseMs?: number;
  /** The largest cap. */
  readonly maxMs?: number;
  /** Injectable for tests: returns a number in [0, 1). */
  readonly random?: () => number;
}

export interface RetryOptions extends BackoffOptions {
  /** Aborting stops the waiting at once: `retry` rejects with the signal's reason (shutdown). */
  readonly signal?: AbortSignal;
  /** Attempts at most, the first included; unbounded by default. */
  readonly maxAttempts?: number;
  /** Whether an error is worth another attempt; {@link isRetriable} by default. */
  readonly retriable?: (error: unknown) => boolean;
  /** Called before each wait, e.g. to log and to record why the service is not ready. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/**
 * The delay before retry number `attempt` (1, 2, …): a random duration between 0 and
 * min(maxMs, baseMs × 2^(attempt − 1)) — "full jitter", so that many clients that failed
 * together do not come back together. Defaults: 100 ms doubling to 5 s.
 */
export function backoffDelayMs(attempt: number, { baseMs = 100, maxMs = 5_000, random = Math.random }: BackoffOptions = {}): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Whether trying again can help: a {@link CryptostreamError} says so itself (`retriable`); any
 * other error (a dropped connection, a database that is starting) is worth another try. kafkajs's
 * own `retriable` is not taken at its word: kafkajs marks an error final once its internal retries
 * ran out (`KafkaJSNumberOfRetriesExceeded`), when a broker that is restarting answers soon after.
 */
export function isRetriable(error: unknown): boolean {
  return error instanceof CryptostreamError ? error.retriable : true;
}

/**
 * Runs `work` until it succeeds, waiting {@link backoffDelayMs} between attempts. Rethrows at
 * once an error that is not retriable ({@link isRetriable}), the last error after `maxAttempts`,
 * and the signal's reason when aborted.
 */
export async function retry<T>(work: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await work(attempt);
    } catch (error) {
      if (!(options.retriable ?? isRetriable)(error) || attempt >= (options.maxAttempts ?? Number.POSITIVE_INFINITY) || options.signal?.aborted) throw error;
      const delayMs = backoffDelayMs(attempt, options);
      options.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs, options.signal);
    }
  }
}

/** Resolves after `ms`; rejects with the signal's reason as soon as it is aborted. Keeps no handle after either. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
