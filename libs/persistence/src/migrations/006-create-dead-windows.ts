import { Migration } from './migration';

/**
 * Where the aggregator puts a closed window that MySQL refuses for its data (a value past a
 * column, say), with the reason, so that one such window does not stall every other symbol.
 * Written in the same transaction as the windows and progress of its batch. Every column takes
 * any window: the window itself is kept whole as JSON, its symbol and times as plain values.
 */
export const createDeadWindows: Migration = {
  version: 6,
  name: 'create dead_windows',
  statements: [
    `CREATE TABLE IF NOT EXISTS dead_windows (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      symbol VARCHAR(255) NOT NULL COMMENT 'cut to 255 characters; the whole symbol is in window_json',
      start_ms BIGINT NOT NULL COMMENT 'window start, epoch ms, inclusive',
      end_ms BIGINT NOT NULL COMMENT 'window end, epoch ms, exclusive',
      reason TEXT NOT NULL COMMENT 'what MySQL said',
      window_json MEDIUMTEXT NOT NULL COMMENT 'the closed window as the engine emitted it, exact decimal strings',
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      KEY ix_dead_windows_symbol (symbol, start_ms)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  ],
};
