import { ClosedWindow, takerBuyFiguresOf, windowSizeLabel } from '@cryptostream/windowing';

/** The columns of `moving_averages` that a window writes, in insert order. */
export const WINDOW_COLUMNS = [
  'start_time', 'end_time', 'window_size', 'symbol', 'source', 'average_price', 'open', 'high', 'low', 'close', 'volume',
  'quote_volume', 'base_volume', 'taker_buy_volume', 'taker_buy_quote_volume', 'taker_buy_base_volume', 'vwap', 'trade_count', 'event_count', 'first_trade_id', 'last_trade_id', 'revision',
] as const;

/** MySQL DATETIME(3) text for an epoch-ms instant, in UTC: `2025-03-04 00:00:00.000`. */
export function toMysqlDateTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * The row values of a window, in {@link WINDOW_COLUMNS} order. A ticker window's volumes, VWAP
 * and trade count are NULL: ticker observations are not trades. A COIN-M window has a base
 * volume instead of a quote volume (Σ price × contracts means nothing); the taker-buy volumes
 * follow the same rules (`takerBuyFiguresOf`).
 */
export function windowRowValues(window: ClosedWindow): unknown[] {
  const trades = window.source !== 'ticker';
  const takerBuy = takerBuyFiguresOf(window);
  return [
    toMysqlDateTime(window.startMs), toMysqlDateTime(window.endMs), windowSizeLabel(window.endMs - window.startMs),
    window.symbol, trades ? 'trades' : 'ticker', window.averagePrice, window.open, window.high, window.low, window.close,
    trades ? window.volume : null, trades && window.baseVolume === undefined ? window.quoteVolume : null,
    window.baseVolume ?? null, takerBuy.takerBuyVolume, takerBuy.takerBuyQuoteVolume, takerBuy.takerBuyBaseVolume, trades ? window.vwap : null,
    trades ? window.tradeCount : null, window.eventCount, window.firstTradeId ?? null, window.lastTradeId ?? null, window.revision,
  ];
}
