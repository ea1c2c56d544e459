import { CryptostreamError } from '@cryptostream/schema';
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { Migration, MIGRATIONS } from './migrations';
import { checkStorageContract } from './storage-contract';

/** The versions `schema_migrations` records, or undefined when the table does not exist yet. */
export async function appliedVersions(executor: Pick<PoolConnection, 'query'>): Promise<Set<number> | undefined> {
  try {
    const [rows] = await executor.query<RowDataPacket[]>('SELECT version FROM schema_migrations');
    return new Set(rows.map((row) => Number(row['version'])));
  } catch (error) {
    if ((error as { code?: string }).code === 'ER_NO_SUCH_TABLE') return undefined;
    throw error;
  }
}

/** The migrations of `migrations` that `applied` lacks, in version order. */
function pending(migrations: readonly Migration[], applied: ReadonlySet<number> | undefined): Migration[] {
  return [...migrations].sort((a, b) => a.version - b.version).filter((migration) => !applied?.has(migration.version));
}

/**
 * Applies the migrations not applied yet, in version order, and records each in
 * `schema_migrations`. A named lock makes concurrent start-ups (two aggregators, a backfill)
 * wait for each other instead of racing. Then, after the full list, checks that the table holds
 * every valid window exactly ({@link checkStorageContract}). Returns the versions it applied.
 *
 * A schema that is up to date takes no statement that changes it, so that a user without the
 * right to (the aggregator's, once a migrations user has migrated) passes; with pending
 * migrations, such a user is refused by the server and the error says which migration.
 */
export async function migrate(pool: Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const connection = await pool.getConnection();
  try {
    await connection.query(`SELECT GET_LOCK('cryptostream_migrate', 30)`);
    let applied = await appliedVersions(connection);
    const newlyApplied: number[] = [];
    if (pending(migrations, applied).length > 0) {
      await connection.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INT UNSIGNED NOT NULL PRIMARY KEY,
        name VARCHAR(200) NOT NULL,
        applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
      ) ENGINE=InnoDB`);
      // Another process may have migrated while this one waited for the lock.
      applied = await appliedVersions(connection);
      for (const migration of pending(migrations, applied)) {
        try {
          for (const statement of migration.statements) await connection.query(statement);
        } catch (error) {
          throw new CryptostreamError(`migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`, { retriable: isRetriableMysqlError(error), cause: error });
        }
        await connection.query('INSERT INTO schema_migrations (version, name) VALUES (?, ?)', [migration.version, migration.name]);
        newlyApplied.push(migration.version);
      }
    }
    // A partial list (tests of old schemas) leaves the table short of the contract on purpose.
    if (migrations === MIGRATIONS) await checkStorageContract(connection);
    return newlyApplied;
  } finally {
    await connection.query(`SELECT RELEASE_LOCK('cryptostream_migrate')`).catch(() => undefined);
    connection.release();
  }
}

/** A refusal of rights (or of the statement) stays a refusal; a dropped connection may pass. */
function isRetriableMysqlError(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return !/^ER_(TABLEACCESS_DENIED|DBACCESS_DENIED|ACCESS_DENIED|COLUMNACCESS_DENIED|SPECIFIC_ACCESS_DENIED|PARSE|NO_SUCH)/.test(code);
}

/**
 * Whether the database holds every migration of this build, without changing anything: for an
 * app told not to migrate (`MYSQL_MIGRATE=off`). Throws, naming what is missing (retriable: a
 * migrations job may be on its way).
 */
export async function checkMigrated(pool: Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<void> {
  const connection = await pool.getConnection();
  try {
    const missing = pending(migrations, await appliedVersions(connection));
    if (missing.length > 0) {
      throw new CryptostreamError(
        `the database lacks migration${missing.length > 1 ? 's' : ''} ${missing.map((m) => m.version).join(', ')} of this build: run them with a user that may change the schema (npx nx run persistence:migrate), or set MYSQL_MIGRATE=on`,
        // The migrations job may run after the app has started (Kubernetes): wait for it.
        { retriable: true },
      );
    }
    await checkStorageContract(connection);
  } finally {
    connection.release();
  }
}
