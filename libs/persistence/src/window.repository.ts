import type { ClosedWindow } from '@cryptostream/windowing';
import type { Pool, PoolConnection, ResultSetHeader } from 'mysql2/promise';
import { WINDOW_COLUMNS, windowRowValues } from './window-row';

/** Where closed windows are kept. Writing the same window again changes nothing. */
export interface WindowRepository {
  upsertWindows(windows: readonly ClosedWindow[]): Promise<void>;
}

/** The subset of mysql2 that the repository needs: a pool or one connection inside a transaction. */
export type SqlExecutor = Pick<Pool | PoolConnection, 'query'>;

const ROWS_PER_STATEMENT = 500;
const PLACEHOLDERS = `(${WINDOW_COLUMNS.map(() => '?').join(', ')})`;
const UPDATES = WINDOW_COLUMNS.filter((column) => !['start_time', 'end_time', 'symbol'].includes(column))
  .map((column) => `${column} = VALUES(${column})`)
  .join(', ');

/**
 * `moving_averages` in MySQL. Rows are upserted on (symbol, start_time, end_time); `updated_at`
 * moves only when a value really changes, so re-writing identical windows is a no-op.
 */
export class MysqlWindowRepository implements WindowRepository {
  constructor(private readonly executor: SqlExecutor) {}

  /** Upserts in multi-row statements; call inside a transaction to make the batch atomic. */
  async upsertWindows(windows: readonly ClosedWindow[], executor: SqlExecutor = this.executor): Promise<void> {
    for (let from = 0; from < windows.length; from += ROWS_PER_STATEMENT) {
      const chunk = windows.slice(from, from + ROWS_PER_STATEMENT);
      const sql =
        `INSERT INTO moving_averages (${WINDOW_COLUMNS.join(', ')}) VALUES ` +
        chunk.map(() => PLACEHOLDERS).join(', ') +
        ` ON DUPLICATE KEY UPDATE ${UPDATES}`;
      await executor.query<ResultSetHeader>(sql, chunk.flatMap(windowRowValues));
    }
  }
}
