import 'reflect-metadata';
import type { WindowUpdate } from '@cryptostream/schema';
import { join } from 'node:path';
import WebSocket from 'ws';
import { ApiWithUpdates } from '../testing/api-with-updates';
import { waitFor } from '@cryptostream/testing';

jest.setTimeout(120_000);

const T0 = Date.UTC(2025, 2, 4);
const MINUTE = 60_000;
const LOGS = join(__dirname, '../../../../tmp/kline-stream-test');

const update = (symbol: string, minute: number, close: string, closed = false, figures: Partial<WindowUpdate> = {}): WindowUpdate => ({
  symbol, source: 'trades', windowSizeMs: MINUTE, startMs: T0 + minute * MINUTE, endMs: T0 + (minute + 1) * MINUTE, open: '0.23097', high: '0.2312000',
  low: '0.2305', close, volume: '1443073.0', quoteVolume: '332948.24274', baseVolume: null, takerBuyVolume: '288873', takerBuyQuoteVolume: '66656.86979',
  takerBuyBaseVolume: null, vwap: '0.23072234', averagePrice: '0.2308', tradeCount: 714, eventCount: 714, revision: 0, closed, publishedAtMs: T0 + minute * MINUTE + 30_000,
  firstTradeId: 548321769, lastTradeId: 548322482, ...figures,
});

/** A WebSocket client that keeps every message it gets, parsed. */
async function connect(url: string) {
  const socket = new WebSocket(url);
  const messages: Record<string, unknown>[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, messages, send: (message: object) => socket.send(JSON.stringify(message)) };
}

const klines = (messages: Record<string, unknown>[]) => messages.filter((m) => m['e'] === 'kline') as { k: Record<string, unknown> }[];

describe('Binance kline WebSocket streams (the API as a process, real Kafka topic)', () => {
  let stack: ApiWithUpdates;
  let wsUrl: string;
  const send = (...updates: WindowUpdate[]) => stack.send(...updates);

  beforeAll(async () => {
    stack = await ApiWithUpdates.start(LOGS);
    wsUrl = stack.url.replace(/^http/, 'ws');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('sends Binance\'s kline event on /ws/<symbol>@kline_<interval>: exact strings, in order, x true only for the final one', async () => {
    const client = await connect(`${wsUrl}/ws/aaausdt@kline_1m`);
    await send(update('AAAUSDT', 0, '0.2301'), update('AAAUSDT', 0, '0.2302'), update('AAAUSDT', 0, '0.2303', true), update('AAAUSDT', 1, '0.2304'));
    await waitFor('four kline events', () => klines(client.messages).length >= 4, { everyMs: 50 });
    const [first] = client.messages;
    expect(first).toEqual({
      e: 'kline', E: T0 + 30_000, s: 'AAAUSDT',
      k: {
        t: T0, T: T0 + MINUTE - 1, s: 'AAAUSDT', i: '1m', f: 548321769, L: 548322482, o: '0.23097', c: '0.2301', h: '0.2312', l: '0.2305',
        v: '1443073', n: 714, x: false, q: '332948.24274', V: '288873', Q: '66656.86979', B: '0',
      },
    });
    expect(klines(client.messages).map(({ k }) => [k['t'], k['c'], k['x']])).toEqual([
      [T0, '0.2301', false], [T0, '0.2302', false], [T0, '0.2303', true], [T0 + MINUTE, '0.2304', false],
    ]);
    client.socket.close();
  });

  it('sends combined streams on /stream?streams= wrapped with their name, COIN-M with base asset volumes in q and Q', async () => {
    const client = await connect(`${wsUrl}/stream?streams=bbbusdt@kline_1m/bbbusd_perp@kline_1m`);
    await send(update('BBBUSDT', 0, '0.5'), update('BBBUSD_PERP', 0, '0.6', false, { volume: '32', quoteVolume: null, baseVolume: '1385.46131532', takerBuyVolume: '6', takerBuyQuoteVolume: null, takerBuyBaseVolume: '259.8640045' }));
    await waitFor('two combined events', () => client.messages.length >= 2, { everyMs: 50 });
    expect(client.messages.map((m) => m['stream'])).toEqual(['bbbusdt@kline_1m', 'bbbusd_perp@kline_1m']);
    expect((client.messages[1]['data'] as { k: Record<string, unknown> }).k).toMatchObject({ s: 'BBBUSD_PERP', v: '32', q: '1385.46131532', V: '6', Q: '259.8640045' });
    client.socket.close();
  });

  it('takes SUBSCRIBE, LIST_SUBSCRIPTIONS and UNSUBSCRIBE on /ws as Binance does, and starts with the latest state held', async () => {
    await send(update('CCCUSDT', 0, '0.7'));
    const client = await connect(`${wsUrl}/ws`);
    client.send({ method: 'SUBSCRIBE', params: ['cccusdt@kline_1m'], id: 1 });
    await waitFor('the latest state after SUBSCRIBE', () => klines(client.messages).length >= 1, { everyMs: 50 });
    expect(client.messages[0]).toEqual({ result: null, id: 1 });
    expect(klines(client.messages)[0].k).toMatchObject({ s: 'CCCUSDT', c: '0.7', x: false });
    client.send({ method: 'LIST_SUBSCRIPTIONS', id: 2 });
    client.send({ method: 'SUBSCRIBE', params: ['cccusdt@kline_7m'], id: 3 });
    client.send({ method: 'SUBSCRIBE', params: 'cccusdt@kline_1m', id: 4 });
    client.send({ method: 'UNSUBSCRIBE', params: ['cccusdt@kline_1m'], id: 5 });
    await waitFor('the UNSUBSCRIBE answer', () => client.messages.some((m) => m['id'] === 5), { everyMs: 50 });
    expect(client.messages.filter((m) => 'id' in m).slice(1)).toEqual([
      { result: ['cccusdt@kline_1m'], id: 2 },
      { error: { code: 2, msg: 'Invalid request: not a kline stream of a served interval: cccusdt@kline_7m' }, id: 3 },
      { error: { code: 2, msg: 'Invalid request: method must be SUBSCRIBE, UNSUBSCRIBE or LIST_SUBSCRIPTIONS with params a list of stream names' }, id: 4 },
      { result: null, id: 5 },
    ]);
    const before = klines(client.messages).length;
    await send(update('CCCUSDT', 0, '0.8'));
    // A client still subscribed sees it; the one that left does not.
    const other = await connect(`${wsUrl}/ws/cccusdt@kline_1m`);
    await waitFor('the update on a subscribed stream', () => klines(other.messages).some(({ k }) => k['c'] === '0.8'), { everyMs: 50 });
    expect(klines(client.messages)).toHaveLength(before);
    client.socket.close();
    other.socket.close();
  });

  it('refuses upgrades of other paths', async () => {
    await expect(connect(`${wsUrl}/api/candles/stream`)).rejects.toThrow(/404/);
  });
});
