import type { WindowUpdate } from '@cryptostream/schema';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiClients } from '../access/api-clients';
import { StreamAdmission } from '../access/stream-admission';
import { loadApiConfig } from '../config/api.config';
import { ApiMetrics } from '../metrics/api.metrics';
import { CandleStreamController } from './candle-stream.controller';
import { UpdateHub } from './update-hub';

const update = (startMs: number): WindowUpdate => ({
  symbol: 'BTCUSDT', source: 'trades', windowSizeMs: 60_000, startMs, endMs: startMs + 60_000, open: '1', high: '2', low: '1', close: '2', volume: '3', quoteVolume: '4',
  baseVolume: null, takerBuyVolume: null, takerBuyQuoteVolume: null, takerBuyBaseVolume: null, vwap: '1.5', averagePrice: '1.5', tradeCount: 3, eventCount: 3, revision: 0, closed: false,
  publishedAtMs: 0,
});

/** The parts of a ServerResponse the stream uses; `writableLength` is what the client has not read yet. */
function response(): ServerResponse & { frames: string[]; ended: boolean } {
  const closeHandlers: Array<() => void> = [];
  const fake = {
    frames: [] as string[], ended: false, writableLength: 0, socket: null,
    writeHead: () => fake,
    setHeader: () => fake,
    write: (frame: string) => fake.frames.push(frame) > 0,
    end: () => {
      fake.ended = true;
      for (const handler of closeHandlers) handler();
    },
    on: (event: string, handler: () => void) => {
      if (event === 'close') closeHandlers.push(handler);
      return fake;
    },
  };
  return fake as unknown as ServerResponse & { frames: string[]; ended: boolean };
}

const value = async (metrics: ApiMetrics, name: string) => (await metrics.registry.getSingleMetric(name)!.get()).values[0]?.value;

describe('CandleStreamController', () => {
  it('ends a stream whose client falls over 1 MiB behind and counts it in api_sse_clients_dropped_total', async () => {
    const metrics = new ApiMetrics();
    const hub = new UpdateHub(100, (u) => JSON.stringify({ close: u.close }));
    const config = loadApiConfig({});
    const controller = new CandleStreamController(config, hub, metrics, new ApiClients(config), new StreamAdmission(config, metrics));
    const request = { headers: {}, socket: { remoteAddress: '127.0.0.1' } } as unknown as IncomingMessage;
    try {
      const [fast, slow] = [response(), response()];
      controller.stream({ symbol: 'BTCUSDT' }, undefined, request, fast);
      controller.stream({ symbol: 'BTCUSDT' }, undefined, request, slow);
      expect(await value(metrics, 'api_sse_clients')).toBe(2);
      hub.publish(update(0), 0, 1);
      expect(await value(metrics, 'api_sse_clients_dropped_total')).toBe(0);
      (slow as unknown as { writableLength: number }).writableLength = (1 << 20) + 1;
      hub.publish(update(0), 0, 2);
      expect([fast.ended, slow.ended]).toEqual([false, true]);
      expect(await value(metrics, 'api_sse_clients_dropped_total')).toBe(1);
      expect(await value(metrics, 'api_sse_clients')).toBe(1);
      expect(fast.frames.filter((frame) => frame.startsWith('id: '))).toHaveLength(2);
    } finally {
      controller.onModuleDestroy();
    }
  });
});
