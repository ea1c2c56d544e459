import { Migration } from './migration';

/**
 * The data lake's manifest and the archiver's progress (apps/archiver, libs/lake).
 *
 * `lake_files` lists every committed Parquet file: a file on disk that is not listed here is not
 * part of the lake (readers never see it; the archiver removes it at start). A file and the
 * progress past the records it holds are written in one transaction, so every record of the
 * topics is in exactly one committed file. `state` is `retired` for files a compaction replaced:
 * readers skip them, and they are deleted from disk once `retired_at` is older than the readers'
 * grace period.
 *
 * `lake_progress` is where the archiver stands in each partition: `next_offset` is the first
 * offset not yet in a committed file (nor skipped as a record the lake does not keep).
 */
export const createLakeFiles: Migration = {
  version: 11,
  name: 'create lake_files and lake_progress',
  statements: [
    `CREATE TABLE IF NOT EXISTS lake_files (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      path VARCHAR(700) NOT NULL COMMENT 'relative to LAKE_DIR, e.g. trades/market=linear/symbol=BTCUSDT/date=2025-03-04/…parquet',
      dataset VARCHAR(32) NOT NULL COMMENT 'trades, candles or dead_letters',
      partition_dir VARCHAR(600) NOT NULL COMMENT 'the Hive directory: what a compaction merges',
      topic VARCHAR(249) NOT NULL,
      kafka_partition INT UNSIGNED NOT NULL,
      first_offset BIGINT UNSIGNED NOT NULL,
      last_offset BIGINT UNSIGNED NOT NULL,
      row_count BIGINT UNSIGNED NOT NULL,
      bytes BIGINT UNSIGNED NOT NULL,
      sha256 CHAR(64) NOT NULL,
      min_event_time_ms BIGINT NOT NULL,
      max_event_time_ms BIGINT NOT NULL,
      state ENUM('committed', 'retired') NOT NULL DEFAULT 'committed',
      committed_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      retired_at DATETIME(3) NULL,
      UNIQUE KEY uq_lake_files_path (path),
      KEY ix_lake_files_dir (dataset, state, partition_dir),
      KEY ix_lake_files_time (dataset, state, min_event_time_ms)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    `CREATE TABLE IF NOT EXISTS lake_progress (
      consumer_group VARCHAR(255) NOT NULL,
      topic VARCHAR(249) NOT NULL,
      kafka_partition INT UNSIGNED NOT NULL,
      next_offset BIGINT UNSIGNED NOT NULL COMMENT 'first offset not yet archived',
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
      PRIMARY KEY (consumer_group, topic, kafka_partition)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  ],
};
