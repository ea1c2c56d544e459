import { reconnectDelayMs } from './reconnect.backoff';
import { combinedStreamUrl, shardStreams } from './stream-shards';

describe('shardStreams', () => {
  it('puts at most 1024 streams on one connection', () => {
    const symbols = Array.from({ length: 2050 }, (_, index) => `S${index}USDT`);
    const shards = shardStreams(symbols, 'aggTrade', 1024);
    expect(shards.map((shard) => shard.length)).toEqual([1024, 1024, 2]);
    expect(shards[0][0]).toBe('s0usdt@aggTrade');
    expect(new Set(shards.flat()).size).toBe(2050);
  });

  it('builds the combined-stream URL', () => {
    expect(combinedStreamUrl('wss://stream.binance.com:9443', ['btcusdt@trade', 'ethusdt@trade'])).toBe('wss://stream.binance.com:9443/stream?streams=btcusdt@trade/ethusdt@trade');
  });
});

describe('reconnectDelayMs', () => {
  it('doubles from the base up to the cap, with half of it random', () => {
    expect([1, 2, 3, 4, 10].map((attempt) => reconnectDelayMs(attempt, 100, 1000, () => 0))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 10].map((attempt) => reconnectDelayMs(attempt, 100, 1000, () => 1))).toEqual([100, 200, 400, 800, 1000]);
  });
});
