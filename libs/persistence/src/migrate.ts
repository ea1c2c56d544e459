import { Pool, RowDataPacket } from 'mysql2/promise';
import { Migration, MIGRATIONS } from './migrations';
import { checkStorageContract } from './storage-contract';

/**
 * Applies the migrations not applied yet, in version order, and records each in
 * `schema_migrations`. A named lock makes concurrent start-ups (two aggregators, a backfill)
 * wait for each other instead of racing. Then, after the full list, checks that the table holds
 * every valid window exactly ({@link checkStorageContract}). Returns the versions it applied.
 */
export async function migrate(pool: Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const connection = await pool.getConnection();
  try {
    await connection.query(`SELECT GET_LOCK('cryptostream_migrate', 30)`);
    await connection.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INT UNSIGNED NOT NULL PRIMARY KEY,
      name VARCHAR(200) NOT NULL,
      applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
    ) ENGINE=InnoDB`);
    const [rows] = await connection.query<RowDataPacket[]>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((row) => Number(row['version'])));
    const newlyApplied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.statements) await connection.query(statement);
      await connection.query('INSERT INTO schema_migrations (version, name) VALUES (?, ?)', [migration.version, migration.name]);
      newlyApplied.push(migration.version);
    }
    // A partial list (tests of old schemas) leaves the table short of the contract on purpose.
    if (migrations === MIGRATIONS) await checkStorageContract(connection);
    return newlyApplied;
  } finally {
    await connection.query(`SELECT RELEASE_LOCK('cryptostream_migrate')`).catch(() => undefined);
    connection.release();
  }
}
