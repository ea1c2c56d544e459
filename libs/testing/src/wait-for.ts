import { sleep } from '@cryptostream/service-runtime';

export interface WaitOptions {
  /** How long to wait before failing (default 30 s: the machine may be loaded). */
  readonly timeoutMs?: number;
  /** How often to ask (default 100 ms). */
  readonly everyMs?: number;
  /** What to add to the failure, e.g. the tail of an app's log. */
  readonly explain?: () => string | Promise<string>;
}

/**
 * The one poller of the tests: asks `probe` every `everyMs` until it gives something other than
 * false or undefined and returns that (a row, a status, true); fails after `timeoutMs` with an
 * error naming `what`. A probe that throws fails the wait at once.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | false | undefined | Promise<T | false | undefined>,
  { timeoutMs = 30_000, everyMs = 100, explain }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== false && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${explain ? `\n${await explain()}` : ''}`);
    await sleep(everyMs);
  }
}
