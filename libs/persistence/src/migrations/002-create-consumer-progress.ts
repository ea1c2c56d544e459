import { Migration } from './migration';

/**
 * Where each consumer group stands in each partition, written in the same transaction as the
 * windows it has closed, so that a restart resumes exactly where the table says it is:
 * `resume_offset` is the first offset of the oldest window still open (or `next_offset` when none
 * is), `watermark_ms` marks every window ending at or before it as written.
 */
export const createConsumerProgress: Migration = {
  version: 2,
  name: 'create consumer_progress',
  statements: [
    `CREATE TABLE IF NOT EXISTS consumer_progress (
      consumer_group VARCHAR(255) NOT NULL,
      topic VARCHAR(249) NOT NULL,
      kafka_partition INT UNSIGNED NOT NULL,
      resume_offset BIGINT UNSIGNED NOT NULL COMMENT 'first offset of the oldest open window, else next_offset',
      next_offset BIGINT UNSIGNED NOT NULL COMMENT 'offset after the last message taken into account',
      watermark_ms BIGINT NULL COMMENT 'windows ending at or before it are written; NULL before any event',
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
      PRIMARY KEY (consumer_group, topic, kafka_partition)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  ],
};
