import { Migration } from './migration';

/**
 * Several window sizes in one table, and honest ticker windows.
 *
 * - `window_size` is Binance's interval text (`1m`, `5m`, `1d`; `90s` for a size Binance has
 *   none for). Existing rows are backfilled from their own span, so a 1-minute row says `1m`.
 *   It is in the unique key, which leads with (symbol, window_size, start_time): "the 5m
 *   candles of BTCUSDT from A to B" is one index range.
 * - `base_volume`: for COIN-M (inverse) contracts, Binance's base asset volume, Σ quantity ×
 *   contract size / price (each trade half-up to 8 decimals); `volume` counts contracts there
 *   and `quote_volume` (Σ price × contracts means nothing) is NULL. NULL for other markets.
 * - `source` says what a row aggregates: `trades`, or `ticker` for REST ticker price
 *   observations, which are not trades: their rows have NULL volume, quote volume, VWAP and
 *   trade count instead of made-up values (`event_count` counts the observations).
 */
export const windowSizes: Migration = {
  version: 3,
  name: 'window_size, base_volume and source in moving_averages',
  statements: [
    `ALTER TABLE moving_averages
      ADD COLUMN window_size VARCHAR(8) NOT NULL DEFAULT '1m' COMMENT 'Binance kline interval: 1m, 5m, 15m, 1h, 4h, 1d' AFTER end_time,
      ADD COLUMN base_volume DECIMAL(38,10) NULL COMMENT 'COIN-M: sum of quantity x contract size / price; NULL otherwise' AFTER quote_volume,
      ADD COLUMN source ENUM('trades', 'ticker') NOT NULL DEFAULT 'trades' COMMENT 'ticker: REST price observations, no volume or trade count' AFTER symbol`,
    `UPDATE moving_averages SET window_size = CASE TIMESTAMPDIFF(SECOND, start_time, end_time)
      WHEN 1 THEN '1s' WHEN 60 THEN '1m' WHEN 180 THEN '3m' WHEN 300 THEN '5m' WHEN 900 THEN '15m' WHEN 1800 THEN '30m'
      WHEN 3600 THEN '1h' WHEN 7200 THEN '2h' WHEN 14400 THEN '4h' WHEN 21600 THEN '6h' WHEN 28800 THEN '8h'
      WHEN 43200 THEN '12h' WHEN 86400 THEN '1d' ELSE CONCAT(TIMESTAMPDIFF(SECOND, start_time, end_time), 's') END`,
    `ALTER TABLE moving_averages
      ALTER COLUMN window_size DROP DEFAULT,
      MODIFY COLUMN volume DECIMAL(38,10) NULL COMMENT 'sum of quantities; NULL for ticker rows',
      MODIFY COLUMN quote_volume DECIMAL(48,20) NULL COMMENT 'sum of price x quantity, exact; NULL for ticker and COIN-M rows',
      MODIFY COLUMN trade_count INT UNSIGNED NULL COMMENT 'exchange trades; NULL for ticker rows',
      DROP INDEX uq_moving_averages_window,
      ADD UNIQUE KEY uq_moving_averages_window (symbol, window_size, start_time, end_time)`,
  ],
};
