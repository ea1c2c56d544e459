import { WindowFigures, windowSizeLabel } from '@cryptostream/windowing';

/** A window as `aggregate` prints it: snake_case, ISO-8601 UTC times, decimals as strings. */
export function windowJson(window: WindowFigures): string {
  return JSON.stringify({
    symbol: window.symbol,
    start_time: new Date(window.startMs).toISOString(),
    end_time: new Date(window.endMs).toISOString(),
    window_size: windowSizeLabel(window.endMs - window.startMs),
    average_price: window.averagePrice,
    open: window.open,
    high: window.high,
    low: window.low,
    close: window.close,
    volume: window.volume,
    quote_volume: window.quoteVolume,
    vwap: window.vwap,
    trade_count: window.tradeCount,
    ...(window.baseVolume === undefined ? {} : { base_volume: window.baseVolume }),
    ...(window.takerBuyVolume === undefined ? {} : { taker_buy_volume: window.takerBuyVolume, taker_buy_quote_volume: window.takerBuyQuoteVolume }),
    ...(window.takerBuyBaseVolume === undefined ? {} : { taker_buy_base_volume: window.takerBuyBaseVolume }),
  });
}
