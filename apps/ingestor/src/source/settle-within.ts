/**
 * Waits for `work` to settle, but at most `ms`: a source being stopped must not hold up the
 * shutdown (and the Kafka flush after it) when it is stuck waiting for Kafka or Binance.
 */
export async function settleWithin(work: Promise<unknown> | undefined, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work?.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
