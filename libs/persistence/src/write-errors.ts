import { CryptostreamError } from '@cryptostream/schema';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { SqlExecutor } from './sql-executor';

/**
 * MySQL error (and warning) numbers that refuse or change a value for not fitting its column:
 * NULL into NOT NULL (1048, 1263), out of range (1264, 1690), truncated or rounded (1265, 1406),
 * wrong value (1292, 1366). Retrying such a statement gives the same answer.
 */
const DATA_CODES: ReadonlySet<number> = new Set([1048, 1263, 1264, 1265, 1292, 1366, 1406, 1690]);

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
