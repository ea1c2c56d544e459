import type { WindowUpdate } from '@cryptostream/schema';
import { candleOfUpdate } from '../candles/candle.mapper';

/** `trxusdt@kline_1m`: Binance's stream name of a symbol's klines of an interval. */
export function klineStreamName(symbol: string, interval: string): string {
  return `${symbol.toLowerCase()}@kline_${interval}`;
}

/**
 * Binance's `kline` event of a window update: `{"e":"kline","E","s","k":{"t","T","s","i","f",
 * "L","o","c","h","l","v","n","x","q","V","Q","B"}}`. `x` is true only for the update sent once
 * MySQL holds the final row; `E` is when the aggregator published it. Decimals are the exact
 * strings (see `klineOf`), COIN-M's `q` and `Q` the base asset volumes; `f` and `L` are -1
 * without trade ids, a figure not known is null.
 */
export function klineEventOf(update: WindowUpdate, interval: string): object {
  const candle = candleOfUpdate(update, interval);
  const coinM = candle.baseVolume !== null;
  return {
    e: 'kline', E: update.publishedAtMs, s: update.symbol,
    k: {
      t: candle.startMs, T: candle.endMs - 1, s: update.symbol, i: interval, f: update.firstTradeId ?? -1, L: update.lastTradeId ?? -1,
      o: candle.open, c: candle.close, h: candle.high, l: candle.low, v: candle.volume, n: candle.tradeCount, x: update.closed,
      q: coinM ? candle.baseVolume : candle.quoteVolume, V: candle.takerBuyVolume, Q: coinM ? candle.takerBuyBaseVolume : candle.takerBuyQuoteVolume, B: '0',
    },
  };
}

/** The hub's renderings for the WebSocket streams: raw (`/ws`) and combined (`/stream`, wrapped with the stream's name). */
export const KLINE_FORMAT = 'kline';
export const COMBINED_KLINE_FORMAT = 'kline-combined';

export function klineRenders(labelOf: (windowSizeMs: number) => string): Record<string, (update: WindowUpdate) => string> {
  return {
    [KLINE_FORMAT]: (update) => JSON.stringify(klineEventOf(update, labelOf(update.windowSizeMs))),
    [COMBINED_KLINE_FORMAT]: (update) => {
      const interval = labelOf(update.windowSizeMs);
      return JSON.stringify({ stream: klineStreamName(update.symbol, interval), data: klineEventOf(update, interval) });
    },
  };
}
