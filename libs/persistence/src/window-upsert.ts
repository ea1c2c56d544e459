import type { WindowFigures } from '@cryptostream/windowing';
import type { ResultSetHeader } from 'mysql2/promise';
import type { SqlExecutor } from './sql-executor';
import { WINDOW_COLUMNS, windowRowValues } from './window-row';
import { refuseChangedValues } from './write-errors';

const ROWS_PER_STATEMENT = 500;
const PLACEHOLDERS = `(${WINDOW_COLUMNS.map(() => '?').join(', ')})`;
/*
 * A correction (revision > 0 from the engine) revises the stored row: revision + 1. A window
 * written again with revision 0 (rebuilt after a restart, same content) keeps the stored revision:
 * the engine cannot know how often a row was corrected before it started.
 */
const UPDATES = WINDOW_COLUMNS.filter((column) => !['start_time', 'end_time', 'window_size', 'symbol'].includes(column))
  .map((column) => (column === 'revision' ? 'revision = IF(VALUES(revision) > 0, revision + 1, revision)' : `${column} = VALUES(${column})`))
  .join(', ');

/**
 * Upserts windows into `moving_averages` in multi-row statements, refusing any value MySQL would
 * change to store it; run inside a transaction to make them atomic. Rows are keyed on (symbol,
 * size, start, end): writing the same window again changes nothing.
 */
export async function upsertWindowRows(executor: SqlExecutor, windows: readonly WindowFigures[]): Promise<void> {
  for (let from = 0; from < windows.length; from += ROWS_PER_STATEMENT) {
    const chunk = windows.slice(from, from + ROWS_PER_STATEMENT);
    const sql =
      `INSERT INTO moving_averages (${WINDOW_COLUMNS.join(', ')}) VALUES ` +
      chunk.map(() => PLACEHOLDERS).join(', ') +
      ` ON DUPLICATE KEY UPDATE ${UPDATES}`;
    const [result] = await executor.query<ResultSetHeader>(sql, chunk.flatMap(windowRowValues));
    await refuseChangedValues(executor, result);
  }
}
