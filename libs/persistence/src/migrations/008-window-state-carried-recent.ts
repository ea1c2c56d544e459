import { Migration } from './migration';

/**
 * `EMPTY_WINDOWS=carry` with late trades: a late trade that changes a real row's close changes
 * the empty rows after it, up to the next real row. `carried_recent` keeps, per size and symbol,
 * the start and close of the real windows a late trade may still revise (and the latest one
 * before them), so that a restart re-carries exactly.
 */
export const windowStateCarriedRecent: Migration = {
  version: 8,
  name: 'window_state carried_recent',
  statements: [
    `ALTER TABLE window_state ADD COLUMN carried_recent TEXT NULL
      COMMENT 'JSON: start and close of the recent real windows (EMPTY_WINDOWS=carry)' AFTER carried_close`,
  ],
};
