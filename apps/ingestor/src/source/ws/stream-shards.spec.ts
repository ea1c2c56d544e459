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
