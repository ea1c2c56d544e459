import type { WindowUpdate } from '@cryptostream/schema';
import { UpdateHub, UpdateSink } from './update-hub';

const update = (symbol: string, startMs: number, close: string, closed = false, windowSizeMs = 60_000): WindowUpdate => ({
  symbol, source: 'trades', windowSizeMs, startMs, endMs: startMs + windowSizeMs, open: '1', high: '2', low: '1', close, volume: '3', quoteVolume: '4', baseVolume: null, takerBuyVolume: null, takerBuyQuoteVolume: null, takerBuyBaseVolume: null,
  vwap: '1.5', averagePrice: '1.5', tradeCount: 3, eventCount: 3, revision: 0, closed, publishedAtMs: 0,
});

/** A client that records the ids and closes of the frames it receives. */
function client(): UpdateSink & { ids: number[]; closes: string[] } {
  const ids: number[] = [];
  const closes: string[] = [];
  return {
    ids, closes, end: () => undefined,
    write(frame: string) {
      const id = /^id: (\d+)/.exec(frame);
      if (id) {
        ids.push(Number(id[1]));
        closes.push(JSON.parse(/data: (.*)/.exec(frame)![1]).close);
      }
      return true;
    },
  };
}

const render = (u: WindowUpdate) => JSON.stringify({ close: u.close });

describe('UpdateHub', () => {
  it('sends each update once to the subscribers of its symbol and window size only', () => {
    const hub = new UpdateHub(100, render);
    const btc = client();
    const eth = client();
    const btc5m = client();
    hub.subscribe('BTCUSDT', 60_000, btc);
    hub.subscribe('ETHUSDT', 60_000, eth);
    hub.subscribe('BTCUSDT', 300_000, btc5m);
    hub.publish(update('BTCUSDT', 0, '10'), 0, 5);
    hub.publish(update('ETHUSDT', 0, '20'), 1, 7);
    hub.publish(update('BTCUSDT', 0, '11', false, 300_000), 0, 6);
    expect([btc.ids, eth.ids, btc5m.ids]).toEqual([[5], [7], [6]]);
  });

  it('resumes after Last-Event-ID with exactly the updates missed, then live ones', () => {
    const hub = new UpdateHub(100, render);
    for (let offset = 10; offset < 15; offset++) hub.publish(update('BTCUSDT', 0, String(offset)), 0, offset);
    const resumed = client();
    const subscription = hub.subscribe('BTCUSDT', 60_000, resumed, 12);
    hub.publish(update('BTCUSDT', 0, '15'), 0, 15);
    expect(subscription.gap).toBe(false);
    expect(resumed.ids).toEqual([13, 14, 15]);
  });

  it('says there is a gap when the updates after Last-Event-ID are no longer held', () => {
    const hub = new UpdateHub(2, render);
    for (let offset = 0; offset < 10; offset++) hub.publish(update('BTCUSDT', offset * 60_000, String(offset)), 0, offset);
    const late = client();
    expect(hub.subscribe('BTCUSDT', 60_000, late, 1).gap).toBe(true);
    expect(late.ids.length).toBeGreaterThan(0);
    expect(hub.subscribe('BTCUSDT', 60_000, client(), 8).gap).toBe(false);
  });

  it('says there is a gap when the hub started reading after Last-Event-ID', () => {
    const hub = new UpdateHub(100, render);
    hub.publish(update('BTCUSDT', 0, '1'), 0, 50);
    expect(hub.subscribe('BTCUSDT', 60_000, client(), 40).gap).toBe(true);
    expect(hub.subscribe('BTCUSDT', 60_000, client(), 49).gap).toBe(false);
  });

  it('starts a new stream with the latest state of the newest windows, in offset order', () => {
    const hub = new UpdateHub(100, render);
    hub.publish(update('BTCUSDT', 0, 'a'), 0, 1);
    hub.publish(update('BTCUSDT', 0, 'b', true), 0, 2);
    hub.publish(update('BTCUSDT', 60_000, 'c'), 0, 3);
    hub.publish(update('BTCUSDT', 60_000, 'd'), 0, 4);
    const fresh = client();
    hub.subscribe('BTCUSDT', 60_000, fresh);
    expect(fresh.ids).toEqual([2, 4]);
    expect(fresh.closes).toEqual(['b', 'd']);
  });

  it('drops a client that cannot keep up and counts the clients', () => {
    const hub = new UpdateHub(100, render);
    const slow: UpdateSink = { write: () => false, end: () => undefined };
    hub.subscribe('BTCUSDT', 60_000, slow);
    const subscription = hub.subscribe('BTCUSDT', 60_000, client());
    expect(hub.clientCount).toBe(2);
    hub.publish(update('BTCUSDT', 0, '1'), 0, 1);
    expect(hub.clientCount).toBe(1);
    subscription.unsubscribe();
    expect(hub.clientCount).toBe(0);
  });
});
