import type { WindowUpdate } from '@cryptostream/schema';
import type { WebSocket } from 'ws';
import { UpdateHub } from '../live/update-hub';
import { klineRenders } from './kline-event';
import { KlineStreamConnection, MAX_BUFFERED_BYTES } from './kline-stream.connection';

const update = (close: string): WindowUpdate => ({
  symbol: 'TRXUSDT', source: 'trades', windowSizeMs: 60_000, startMs: 0, endMs: 60_000, open: '1', high: '2', low: '1', close, volume: '3', quoteVolume: '4',
  baseVolume: null, takerBuyVolume: '1', takerBuyQuoteVolume: '2', takerBuyBaseVolume: null, vwap: '1.3', averagePrice: '1.5', tradeCount: 3, eventCount: 3,
  revision: 0, closed: false, publishedAtMs: 1,
});

/** The part of a `ws` socket the connection uses, recording what it is told. */
function fakeSocket() {
  const sent: string[] = [];
  const socket = { bufferedAmount: 0, terminated: false, send: (frame: string) => sent.push(frame), terminate: () => (socket.terminated = true), close: () => undefined };
  return { socket, sent };
}

describe('KlineStreamConnection', () => {
  const hub = () => new UpdateHub(10, (u) => JSON.stringify(u), klineRenders(() => '1m'));

  it('drops a client more than 1 MiB behind, as SSE clients are, and stops writing to it', () => {
    const updates = hub();
    const { socket, sent } = fakeSocket();
    const connection = new KlineStreamConnection(socket as unknown as WebSocket, updates, [{ ms: 60_000, label: '1m' }], false);
    expect(connection.subscribe('trxusdt@kline_1m')).toBe(true);
    updates.publish(update('1.1'), 0, 0);
    expect(sent.map((frame) => (JSON.parse(frame) as { k: { c: string } }).k.c)).toEqual(['1.1']);
    socket.bufferedAmount = MAX_BUFFERED_BYTES + 1;
    updates.publish(update('1.2'), 0, 1);
    expect(socket.terminated).toBe(true);
    expect(updates.clientCount).toBe(0);
    socket.bufferedAmount = 0;
    updates.publish(update('1.3'), 0, 2);
    expect(sent).toHaveLength(1);
  });

  it('refuses names that are not kline streams of a served interval', () => {
    const connection = new KlineStreamConnection(fakeSocket().socket as unknown as WebSocket, hub(), [{ ms: 60_000, label: '1m' }], false);
    expect(['TRXUSDT@kline_1m', 'trxusdt@kline_5m', 'trxusdt@trade', 'trxusdt@kline_1m'].map((name) => connection.subscribe(name))).toEqual([false, false, false, true]);
  });

  it('gets no SSE keep-alive comments (WebSocket clients are pinged instead)', () => {
    const updates = hub();
    const { socket, sent } = fakeSocket();
    new KlineStreamConnection(socket as unknown as WebSocket, updates, [{ ms: 60_000, label: '1m' }], false).subscribe('trxusdt@kline_1m');
    updates.broadcast(': keepalive\n\n');
    expect(sent).toEqual([]);
  });
});
