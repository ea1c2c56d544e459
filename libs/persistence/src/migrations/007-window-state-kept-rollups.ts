import { Migration } from './migration';

/**
 * Larger windows kept for corrections: with `kept_rollups`, a window_state row holds every larger
 * window of its size and symbol that may still change (the open one, and the written ones whose
 * parts a late trade may still correct, within ALLOWED_LATENESS_MS): the parts that may change
 * one by one, the others merged, and how often each was written. `partial_window` (the open
 * window merged, before this) is still read from rows written by an older aggregator.
 */
export const windowStateKeptRollups: Migration = {
  version: 7,
  name: 'window_state kept_rollups',
  statements: [
    `ALTER TABLE window_state ADD COLUMN kept_rollups MEDIUMTEXT NULL
      COMMENT 'JSON: the larger windows that may still change, with their parts, exact decimal strings' AFTER partial_window`,
  ],
};
