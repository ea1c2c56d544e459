import { Migration } from './migration';

/**
 * `moving_averages` stored in (symbol, window_size, start_time, end_time) order: that key becomes
 * the primary (InnoDB's clustered) key, `id` stays AUTO_INCREMENT behind a unique key of its own.
 *
 * Why: a page of candles is a range of that key. With `id` as the primary key every row of the
 * range costs one more B-tree descent into the clustered index, most of MariaDB's work for a
 * page. Stored in key order, the page is one sequential scan of a few leaf pages. Upserts find their row by the same
 * key as before (now the primary one); `ix_moving_averages_start` is unchanged in meaning.
 */
export const movingAveragesClusteredByWindow: Migration = {
  version: 9,
  name: 'moving_averages clustered by (symbol, window_size, start_time, end_time)',
  statements: [
    `ALTER TABLE moving_averages
      DROP PRIMARY KEY,
      ADD PRIMARY KEY (symbol, window_size, start_time, end_time),
      ADD UNIQUE KEY uq_moving_averages_id (id),
      DROP INDEX uq_moving_averages_window`,
  ],
};
