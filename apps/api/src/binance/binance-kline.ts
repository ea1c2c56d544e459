import type { CandleFigures } from '@cryptostream/schema';

/**
 * One kline as Binance sends it: `[openTime, "open", "high", "low", "close", "volume",
 * closeTime, "quoteVolume", trades, "takerBuyBase", "takerBuyQuote", "0"]`. On COIN-M (a candle
 * with a base volume) fields 7 and 10 are the base asset volumes instead, as on `/dapi`.
 * Decimals are the exact strings stored (`"0.23103"`, where Binance pads to its precision,
 * `"0.23103000"`: the same number); a figure not known (ticker windows have no volumes, rows
 * from before taker-buy volumes were kept have none) is null, never a made-up 0.
 */
export type BinanceKline = [number, string, string, string, string, string | null, number, string | null, number | null, string | null, string | null, '0'];

export function klineOf(candle: CandleFigures): BinanceKline {
  const coinM = candle.baseVolume !== null;
  return [
    candle.startMs, candle.open, candle.high, candle.low, candle.close, candle.volume, candle.endMs - 1,
    coinM ? candle.baseVolume : candle.quoteVolume, candle.tradeCount,
    candle.takerBuyVolume, coinM ? candle.takerBuyBaseVolume : candle.takerBuyQuoteVolume, '0',
  ];
}
