import { MessageBatcher, OutgoingMessage } from './message-batcher';

const message = (value: string): OutgoingMessage => ({ topic: 't', key: 'K', value });

describe('MessageBatcher', () => {
  it('sends a full batch at once and a lone message after the linger time', async () => {
    const batches: string[][] = [];
    const batcher = new MessageBatcher({ batchSize: 3, lingerMs: 40, send: async (batch) => void batches.push(batch.map((m) => m.value)) });
    await batcher.add(message('a'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(batches).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(batches).toEqual([['a']]);
    for (const value of ['b', 'c', 'd']) void batcher.add(message(value));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(batches).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('retries a failed batch until it goes through, without reordering or losing messages', async () => {
    const sent: string[] = [];
    let failures = 2;
    const errors: number[] = [];
    const batcher = new MessageBatcher({
      batchSize: 2,
      lingerMs: 1,
      retryBaseMs: 1,
      send: async (batch) => {
        if (failures-- > 0) throw new Error('broker down');
        sent.push(...batch.map((m) => m.value));
      },
      onSendError: (_error, attempt) => errors.push(attempt),
    });
    for (const value of ['a', 'b', 'c']) await batcher.add(message(value));
    expect(await batcher.flush()).toBe(0);
    expect(sent).toEqual(['a', 'b', 'c']);
    expect(errors).toEqual([1, 2]);
  });

  it('makes callers wait while the queue is full', async () => {
    let release: () => void = () => undefined;
    const batcher = new MessageBatcher({ batchSize: 1, lingerMs: 1, maxQueued: 2, send: () => new Promise<void>((resolve) => (release = resolve)) });
    await batcher.add(message('a'));
    await batcher.add(message('b'));
    let admitted = false;
    void batcher.add(message('c')).then(() => (admitted = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(admitted).toBe(false);
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(admitted).toBe(true);
  });

  it('gives up at the flush deadline and reports what it could not send', async () => {
    const batcher = new MessageBatcher({ batchSize: 10, lingerMs: 1, retryBaseMs: 5, send: async () => Promise.reject(new Error('down')) });
    await batcher.add(message('a'));
    expect(await batcher.flush(Date.now() + 50)).toBe(1);
  });

  it('stops retrying at a deadline even while a flush without one is waiting (a source at its end, then shutdown)', async () => {
    let sends = 0;
    const batcher = new MessageBatcher({ batchSize: 10, lingerMs: 1, retryBaseMs: 5, retryMaxMs: 5, send: async () => { sends++; throw new Error('down'); } });
    await batcher.add(message('a'));
    const endless = batcher.flush();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const [first, second] = await Promise.all([batcher.flush(Date.now() + 50), endless]);
    expect([first, second]).toEqual([1, 1]);
    const stoppedAt = sends;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sends).toBe(stoppedAt);
  });
});
