import type { WindowFigures } from '@cryptostream/windowing';
import type { SqlExecutor } from './sql-executor';
import { upsertWindowRows } from './window-upsert';
import { asWriteError } from './write-errors';

/** A closed window MySQL refused for its data, and what MySQL said. */
export interface RefusedWindow {
  readonly window: WindowFigures;
  readonly reason: string;
}

/**
 * Upserts windows inside the caller's transaction, setting apart those MySQL refuses for their
 * data: a refused statement is rolled back to a savepoint and its windows are tried in halves,
 * down to the single windows at fault (about 2 log2(n) statements per refused window). Any other
 * error is thrown. Returns the refused windows with MySQL's reasons.
 */
export async function upsertSettingApartRefused(executor: SqlExecutor, windows: readonly WindowFigures[]): Promise<RefusedWindow[]> {
  const refused: RefusedWindow[] = [];
  const attempt = async (part: readonly WindowFigures[]): Promise<void> => {
    if (part.length === 0) return;
    await executor.query('SAVEPOINT refused_windows');
    try {
      await upsertWindowRows(executor, part);
      return;
    } catch (error) {
      const failure = asWriteError(error);
      await executor.query('ROLLBACK TO SAVEPOINT refused_windows');
      if (failure.retriable) throw failure;
      if (part.length === 1) {
        refused.push({ window: part[0], reason: failure.message });
        return;
      }
    }
    const middle = Math.ceil(part.length / 2);
    await attempt(part.slice(0, middle));
    await attempt(part.slice(middle));
  };
  await attempt(windows);
  return refused;
}

const MAX_REASON = 2_000;

/** Writes refused windows to `dead_windows` (a table whose columns take any window). */
export async function insertDeadWindows(executor: SqlExecutor, refused: readonly RefusedWindow[]): Promise<void> {
  if (refused.length === 0) return;
  await executor.query(
    `INSERT INTO dead_windows (symbol, start_ms, end_ms, reason, window_json) VALUES ${refused.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
    refused.flatMap(({ window, reason }) => [window.symbol.slice(0, 255), window.startMs, window.endMs, reason.slice(0, MAX_REASON), JSON.stringify(window)]),
  );
}
