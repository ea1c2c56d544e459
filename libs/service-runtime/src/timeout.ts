/**
 * Settles with `work`, or after `ms` with what `onTimeout` returns, whichever comes first. The
 * timer is cleared either way; `work` goes on (a promise cannot be cancelled), and a rejection
 * of it after the timeout is ignored.
 */
export async function withTimeout<T, F = T>(work: Promise<T>, ms: number, onTimeout: () => F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<F>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(onTimeout());
      } catch (error) {
        reject(error);
      }
    }, ms);
  });
  work.catch(() => undefined); // a late failure is nobody's concern once the timeout has won
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
