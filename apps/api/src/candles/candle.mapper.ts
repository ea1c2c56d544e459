import type { StoredCandle } from '@cryptostream/persistence';
import { canonicalDecimal, WindowUpdate } from '@cryptostream/schema';
import type { CandleDto } from './candle.dto';

/**
 * A stored window as a candle: stored windows are closed. `GET /api/candles` writes this, serialized,
 * straight from row text (candlePageJson); its spec holds the two equal.
 */
export function candleOfStored(stored: StoredCandle, interval: string): CandleDto {
  return {
    symbol: stored.symbol, interval, source: stored.source, startMs: stored.startMs, endMs: stored.endMs,
    open: stored.open, high: stored.high, low: stored.low, close: stored.close,
    volume: stored.volume, quoteVolume: stored.quoteVolume, baseVolume: stored.baseVolume,
    takerBuyVolume: stored.takerBuyVolume, takerBuyQuoteVolume: stored.takerBuyQuoteVolume, takerBuyBaseVolume: stored.takerBuyBaseVolume, vwap: stored.vwap,
    averagePrice: stored.averagePrice, tradeCount: stored.tradeCount, revision: stored.revision, closed: true,
  };
}

/** A published update as a candle, with decimals in the same canonical form as stored ones. */
export function candleOfUpdate(update: WindowUpdate, interval: string): CandleDto {
  return {
    symbol: update.symbol, interval, source: update.source, startMs: update.startMs, endMs: update.endMs,
    open: canonicalDecimal(update.open), high: canonicalDecimal(update.high), low: canonicalDecimal(update.low),
    close: canonicalDecimal(update.close), volume: orNull(update.volume), quoteVolume: orNull(update.quoteVolume),
    baseVolume: orNull(update.baseVolume), takerBuyVolume: orNull(update.takerBuyVolume),
    takerBuyQuoteVolume: orNull(update.takerBuyQuoteVolume), takerBuyBaseVolume: orNull(update.takerBuyBaseVolume), vwap: orNull(update.vwap), averagePrice: canonicalDecimal(update.averagePrice),
    tradeCount: update.tradeCount, revision: update.revision, closed: update.closed,
  };
}

const orNull = (value: string | null): string | null => (value === null ? null : canonicalDecimal(value));
