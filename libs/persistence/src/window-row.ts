import type { ClosedWindow } from '@cryptostream/windowing';

/** The columns of `moving_averages` that a window writes, in insert order. */
export const WINDOW_COLUMNS = [
  'start_time', 'end_time', 'symbol', 'average_price', 'open', 'high', 'low', 'close', 'volume',
  'quote_volume', 'vwap', 'trade_count', 'event_count', 'first_trade_id', 'last_trade_id', 'revision',
] as const;

/** MySQL DATETIME(3) text for an epoch-ms instant, in UTC: `2025-03-04 00:00:00.000`. */
export function toMysqlDateTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('T', ' ').replace('Z', '');
}

/** The row values of a window, in {@link WINDOW_COLUMNS} order. */
export function windowRowValues(window: ClosedWindow): unknown[] {
  return [
    toMysqlDateTime(window.startMs), toMysqlDateTime(window.endMs), window.symbol, window.averagePrice,
    window.open, window.high, window.low, window.close, window.volume, window.quoteVolume, window.vwap,
    window.tradeCount, window.eventCount, window.firstTradeId ?? null, window.lastTradeId ?? null, window.revision,
  ];
}
