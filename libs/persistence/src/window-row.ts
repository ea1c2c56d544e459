import { candleFigures } from '@cryptostream/schema';
import { WindowFigures, windowSizeLabel } from '@cryptostream/windowing';

/** The columns of `moving_averages` that a window writes, in insert order. */
export const WINDOW_COLUMNS = [
  'start_time', 'end_time', 'window_size', 'symbol', 'source', 'average_price', 'open', 'high', 'low', 'close', 'volume',
  'quote_volume', 'base_volume', 'taker_buy_volume', 'taker_buy_quote_volume', 'taker_buy_base_volume', 'vwap', 'trade_count', 'event_count', 'first_trade_id', 'last_trade_id', 'revision',
] as const;

/** MySQL DATETIME(3) text for an epoch-ms instant, in UTC: `2025-03-04 00:00:00.000`. */
export function toMysqlDateTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('T', ' ').replace('Z', '');
}

/** The row values of a window, in {@link WINDOW_COLUMNS} order; which figures are NULL is `candleFigures`'s rule. */
export function windowRowValues(window: WindowFigures): unknown[] {
  const f = candleFigures(window);
  return [
    toMysqlDateTime(window.startMs), toMysqlDateTime(window.endMs), windowSizeLabel(window.endMs - window.startMs),
    window.symbol, f.source, window.averagePrice, window.open, window.high, window.low, window.close,
    f.volume, f.quoteVolume, f.baseVolume, f.takerBuyVolume, f.takerBuyQuoteVolume, f.takerBuyBaseVolume, f.vwap,
    f.tradeCount, window.eventCount, window.firstTradeId ?? null, window.lastTradeId ?? null, window.revision,
  ];
}
