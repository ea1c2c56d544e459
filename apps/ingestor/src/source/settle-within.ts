import { withTimeout } from '@cryptostream/service-runtime';

/**
 * Waits for `work` to settle, but at most `ms`: a source being stopped must not hold up the
 * shutdown (and the Kafka flush after it) when it is stuck waiting for Kafka or Binance.
 */
export async function settleWithin(work: Promise<unknown> | undefined, ms: number): Promise<void> {
  await withTimeout(work?.then(() => undefined, () => undefined) ?? Promise.resolve(), ms, () => undefined);
}
