import { decodeWindowUpdate, WindowUpdate } from '@cryptostream/schema';
import type { WindowFigures } from '@cryptostream/windowing';
import { UpdateMessage, WindowUpdatePublisher } from './window-update.publisher';

const window = (symbol: string, startMs: number, close: string): WindowFigures => ({
  symbol, startMs, endMs: startMs + 60_000, averagePrice: '1', open: '1', high: '2', low: '1', close,
  volume: '2', quoteVolume: '2', vwap: '1', tradeCount: 1, eventCount: 1, revision: 0,
});

/** A broker that takes batches only when told to, and keeps what it took. */
function broker() {
  const batches: WindowUpdate[][] = [];
  let release: () => void = () => undefined;
  let fail: Error | undefined;
  const send = (messages: readonly UpdateMessage[]) =>
    new Promise<void>((resolve, reject) => {
      release = () => {
        if (fail) return reject(fail);
        batches.push(messages.map((m) => decodeWindowUpdate(m.value) as WindowUpdate));
        resolve();
      };
    });
  return { batches, send, release: () => release(), failWith: (error?: Error) => (fail = error) };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const summary = (batch: WindowUpdate[]) => batch.map((u) => `${u.symbol}@${u.startMs}:${u.close}:${u.closed ? 'final' : 'open'}`);

describe('WindowUpdatePublisher', () => {
  it('sends one batch at a time, keeping only the newest open state while a send is in flight', async () => {
    const kafka = broker();
    const publisher = new WindowUpdatePublisher({ send: kafka.send, now: () => 5 });
    publisher.open([window('BTCUSDT', 0, '1')]);
    publisher.open([window('BTCUSDT', 0, '2'), window('ETHUSDT', 0, '7')]);
    publisher.open([window('BTCUSDT', 0, '3')]);
    kafka.release();
    await tick();
    kafka.release();
    await publisher.whenIdle();
    expect(kafka.batches.map(summary)).toEqual([['BTCUSDT@0:1:open'], ['BTCUSDT@0:3:open', 'ETHUSDT@0:7:open']]);
    expect(kafka.batches[0][0]).toMatchObject({ windowSizeMs: 60_000, endMs: 60_000, publishedAtMs: 5 });
  });

  it("sends a window's final state after its open ones, replacing an open state not sent yet", async () => {
    const kafka = broker();
    const publisher = new WindowUpdatePublisher({ send: kafka.send });
    publisher.open([window('BTCUSDT', 0, '1')]);
    publisher.open([window('BTCUSDT', 0, '2'), window('BTCUSDT', 60_000, '5')]);
    publisher.closed([window('BTCUSDT', 0, '3')]);
    for (let sends = 0; sends < 3; sends++) {
      kafka.release();
      await tick();
    }
    await publisher.whenIdle();
    // The final state first (a reader waits for it), then the next interval's open ones.
    expect(kafka.batches.map(summary)).toEqual([['BTCUSDT@0:1:open'], ['BTCUSDT@0:3:final'], ['BTCUSDT@60000:5:open']]);
  });

  it('keeps final states through a failed send, drops superseded open ones, and reports the failure', async () => {
    const kafka = broker();
    const failures: [string, number][] = [];
    const publisher = new WindowUpdatePublisher({
      send: kafka.send, retryDelayMs: 1, onFailed: (error, dropped) => failures.push([error.message, dropped]),
    });
    kafka.failWith(new Error('broker away'));
    publisher.open([window('BTCUSDT', 60_000, '1')]);
    publisher.closed([window('BTCUSDT', 0, '9')]);
    kafka.release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    kafka.failWith(undefined);
    kafka.release();
    await publisher.whenIdle();
    expect(failures).toEqual([['broker away', 1]]);
    expect(kafka.batches.map(summary)).toEqual([['BTCUSDT@0:9:final']]);
  });

  it('sends a large interval in parts of at most maxBatchBytes, in order, and after a failed part keeps the final states not sent', async () => {
    const sent: string[][] = [];
    let failNext = false;
    const failures: number[] = [];
    const publisher = new WindowUpdatePublisher({
      maxBatchBytes: 700, retryDelayMs: 1,
      send: async (messages) => {
        expect(messages.length === 1 || messages.reduce((bytes, m) => bytes + m.value.length, 0) <= 700).toBe(true);
        if (failNext) {
          failNext = false;
          throw new Error('message too large');
        }
        sent.push(summary(messages.map((m) => decodeWindowUpdate(m.value) as WindowUpdate)));
      },
      onFailed: (_error, dropped) => failures.push(dropped),
    });
    publisher.open(['A', 'B', 'C', 'D'].map((symbol) => window(`${symbol}USDT`, 0, '1')));
    publisher.closed([window('EUSDT', 0, '2'), window('FUSDT', 0, '3')]);
    await publisher.whenIdle();
    expect(sent.length).toBeGreaterThan(1);
    // The first part was on its way when the final states came: they go before the rest.
    expect(sent.flat()).toEqual(['AUSDT@0:1:open', 'EUSDT@0:2:final', 'FUSDT@0:3:final', 'BUSDT@0:1:open', 'CUSDT@0:1:open', 'DUSDT@0:1:open']);

    sent.length = 0;
    failNext = true;
    publisher.open(['A', 'B', 'C', 'D'].map((symbol) => window(`${symbol}USDT`, 60_000, '4')));
    publisher.closed([window('GUSDT', 0, '5')]);
    await publisher.whenIdle();
    expect(failures).toEqual([4]);
    expect(sent.flat()).toEqual(['GUSDT@0:5:final']);
  });

  it('sends final states that come while an interval is going out in parts before its rest, each replacing its window\'s open state there', async () => {
    const kafka = broker();
    const publisher = new WindowUpdatePublisher({ send: kafka.send, maxBatchBytes: 700 });
    publisher.open(['A', 'B', 'C', 'D'].map((symbol) => window(`${symbol}USDT`, 0, '1')));
    publisher.closed([window('CUSDT', 0, '2')]);
    publisher.open([window('AUSDT', 60_000, '3')]);
    for (let sends = 0; sends < 20 && kafka.batches.flat().length < 5; sends++) {
      kafka.release();
      await tick();
    }
    await publisher.whenIdle();
    expect(kafka.batches.flatMap(summary)).toEqual(['AUSDT@0:1:open', 'CUSDT@0:2:final', 'BUSDT@0:1:open', 'DUSDT@0:1:open', 'AUSDT@60000:3:open']);
  });
});
