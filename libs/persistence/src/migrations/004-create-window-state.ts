import { Migration } from './migration';

/**
 * What the aggregator needs, besides `consumer_progress`, to carry on exactly after a restart
 * with several window sizes: per partition, size and symbol, the larger window still open (its
 * closed parts merged, with the exact Σ price) and the end and close of the last written window
 * (for `EMPTY_WINDOWS=carry`). Written in the same transaction as the progress it belongs to;
 * `as_of_watermark_ms` only moves forward.
 */
export const createWindowState: Migration = {
  version: 4,
  name: 'create window_state',
  statements: [
    `CREATE TABLE IF NOT EXISTS window_state (
      consumer_group VARCHAR(255) NOT NULL,
      topic VARCHAR(249) NOT NULL,
      kafka_partition INT UNSIGNED NOT NULL,
      window_size VARCHAR(8) NOT NULL,
      symbol VARCHAR(32) NOT NULL,
      partial_window TEXT NULL COMMENT 'the open larger window so far, JSON with exact decimal strings',
      carried_end_ms BIGINT NULL COMMENT 'end of the last written window (EMPTY_WINDOWS=carry)',
      carried_close VARCHAR(64) NULL COMMENT 'its close, carried into empty windows',
      as_of_watermark_ms BIGINT NOT NULL,
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
      PRIMARY KEY (consumer_group, topic, kafka_partition, window_size, symbol)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  ],
};
