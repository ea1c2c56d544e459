import { sleep } from './retry';
import { withTimeout } from './timeout';

describe('withTimeout', () => {
  it('settles with the work when it is first', async () => {
    await expect(withTimeout(Promise.resolve('done'), 10_000, () => 'late')).resolves.toBe('done');
    await expect(withTimeout(Promise.reject(new Error('failed')), 10_000, () => 'late')).rejects.toThrow('failed');
  });

  it('settles with onTimeout past the deadline, and ignores what the work does afterwards', async () => {
    const work = sleep(200).then(() => Promise.reject(new Error('too late to matter')));
    await expect(withTimeout(work, 10, () => 'gave up')).resolves.toBe('gave up');
    await sleep(250); // an unhandled rejection here would fail the test run
  });

  it('rejects with what onTimeout throws', async () => {
    await expect(
      withTimeout(new Promise(() => undefined), 10, () => {
        throw new Error('no answer within 10 ms');
      }),
    ).rejects.toThrow('no answer within 10 ms');
  });
});
