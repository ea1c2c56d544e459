import { CryptostreamError } from '@cryptostream/schema';
import type { ClosedWindow } from '@cryptostream/windowing';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { SqlExecutor } from './window.repository';

/**
 * MySQL error (and warning) numbers that refuse or change a value for not fitting its column:
 * NULL into NOT NULL (1048, 1263), out of range (1264, 1690), truncated or rounded (1265, 1406),
 * wrong value (1292, 1366). Retrying such a statement gives the same answer.
 */
const DATA_CODES: ReadonlySet<number> = new Set([1048, 1263, 1264, 1265, 1292, 1366, 1406, 1690]);

/** A closed window MySQL refused for its data, and what MySQL said. */
export interface RefusedWindow {
  readonly window: ClosedWindow;
  readonly reason: string;
}

/** True when MySQL refused a statement for its data (SQLSTATE class 22 or 23, or a data code). */
export function isDataError(error: unknown): boolean {
  const { errno, sqlState } = error as { errno?: unknown; sqlState?: unknown };
  return (typeof sqlState === 'string' && /^2[23]/.test(sqlState)) || (typeof errno === 'number' && DATA_CODES.has(errno));
}

/**
 * The error of a failed write as a {@link CryptostreamError}: retriable unless MySQL refused the
 * data (a connection, lock or missing-table error may pass; a value that does not fit will not).
 */
export function asWriteError(error: unknown): CryptostreamError {
  if (error instanceof CryptostreamError) return error;
  const retriable = !isDataError(error);
  return new CryptostreamError(`${retriable ? '' : 'MySQL refused the data: '}${(error as Error).message}`, { retriable, cause: error });
}

/**
 * Throws (not retriable) when the statement just run made MySQL change a value to fit its column:
 * a DECIMAL rounded to its scale is only a note, even in strict mode, and without strict mode an
 * out-of-range value is clamped with a warning. Stored values are exact or refused, never altered.
 */
export async function refuseChangedValues(executor: SqlExecutor, result: ResultSetHeader): Promise<void> {
  if (!result.warningStatus) return;
  const [warnings] = await executor.query<RowDataPacket[]>('SHOW WARNINGS');
  const changes = warnings.filter((warning) => DATA_CODES.has(Number(warning['Code'])));
  if (changes.length === 0) return;
  const text = changes.map((warning) => `${warning['Level']} ${warning['Code']}: ${warning['Message']}`).join('; ');
  throw new CryptostreamError(`MySQL would change a value to store it (${text})`, { retriable: false });
}

/**
 * Upserts windows inside the caller's transaction, setting apart those MySQL refuses for their
 * data: a refused statement is rolled back to a savepoint and its windows are tried in halves,
 * down to the single windows at fault (about 2 log2(n) statements per refused window). Any other
 * error is thrown. Returns the refused windows with MySQL's reasons.
 */
export async function upsertSettingApartRefused(
  windows: readonly ClosedWindow[],
  executor: SqlExecutor,
  upsert: (part: readonly ClosedWindow[]) => Promise<void>,
): Promise<RefusedWindow[]> {
  const refused: RefusedWindow[] = [];
  const attempt = async (part: readonly ClosedWindow[]): Promise<void> => {
    if (part.length === 0) return;
    await executor.query('SAVEPOINT refused_windows');
    try {
      await upsert(part);
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
