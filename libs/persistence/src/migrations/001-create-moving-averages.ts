import { Migration } from './migration';

/**
 * The original table (start_time, end_time, symbol, average_price DECIMAL(20,8), created_at),
 * widened: `symbol` holds every Binance symbol (TRXUSD_PERP has 11 characters), OHLC, volumes,
 * VWAP and counts are stored exactly, and (symbol, start_time, end_time) is unique so that
 * writing a window twice is an idempotent upsert.
 */
export const createMovingAverages: Migration = {
  version: 1,
  name: 'create moving_averages',
  statements: [
    `CREATE TABLE IF NOT EXISTS moving_averages (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      start_time DATETIME(3) NOT NULL COMMENT 'window start, UTC, inclusive',
      end_time DATETIME(3) NOT NULL COMMENT 'window end, UTC, exclusive',
      symbol VARCHAR(32) NOT NULL,
      average_price DECIMAL(20,8) NOT NULL COMMENT 'mean of message prices, half-up to 8 decimals',
      open DECIMAL(30,10) NOT NULL,
      high DECIMAL(30,10) NOT NULL,
      low DECIMAL(30,10) NOT NULL,
      close DECIMAL(30,10) NOT NULL,
      volume DECIMAL(38,10) NOT NULL COMMENT 'sum of quantities',
      quote_volume DECIMAL(48,20) NOT NULL COMMENT 'sum of price x quantity, exact',
      vwap DECIMAL(30,10) NULL COMMENT 'quote_volume / volume, half-up to 8 decimals',
      trade_count INT UNSIGNED NOT NULL,
      event_count INT UNSIGNED NOT NULL COMMENT 'messages that went into the window',
      first_trade_id BIGINT UNSIGNED NULL,
      last_trade_id BIGINT UNSIGNED NULL,
      revision INT UNSIGNED NOT NULL DEFAULT 0 COMMENT '0 first emission, then late corrections',
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
      UNIQUE KEY uq_moving_averages_window (symbol, start_time, end_time),
      KEY ix_moving_averages_start (start_time)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  ],
};
