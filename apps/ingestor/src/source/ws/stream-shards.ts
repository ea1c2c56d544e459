import type { BinanceStream } from '../../config/ingestor-config';

/** The stream name of a symbol: `btcusdt@aggTrade` (Binance wants symbols in lower case). */
export function streamNameOf(symbol: string, stream: BinanceStream): string {
  return `${symbol.toLowerCase()}@${stream}`;
}

/**
 * Splits the symbols' streams into groups of at most `maxPerConnection` (Binance: 1024), one
 * WebSocket connection each.
 */
export function shardStreams(symbols: readonly string[], stream: BinanceStream, maxPerConnection: number): string[][] {
  const names = symbols.map((symbol) => streamNameOf(symbol, stream));
  const shards: string[][] = [];
  for (let index = 0; index < names.length; index += maxPerConnection) shards.push(names.slice(index, index + maxPerConnection));
  return shards;
}

/** The combined-stream URL of a shard: `wss://host/stream?streams=a@trade/b@trade`. */
export function combinedStreamUrl(baseUrl: string, streams: readonly string[]): string {
  return `${baseUrl}/stream?streams=${streams.join('/')}`;
}
