import type { Pool } from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
import { migrate } from '../migrate';
import { createMysqlPool, ensureDatabase } from '../mysql-pool';
import { parseMysqlUrl } from '../mysql-url';

/** The server integration tests use: TEST_MYSQL_URL's server, else root@127.0.0.1:3306. */
export const TEST_MYSQL_URL = process.env['TEST_MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/test';

/**
 * A database name no other test run uses (`prefix_1a2b3c4d5e`), as libs/testing's randomName
 * makes them; written here because libs/testing depends on this library, not the reverse.
 */
export function testDatabaseName(prefix = 'cryptostream_test'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

export interface TestDatabase {
  /** A MYSQL_URL naming the fresh database. */
  readonly url: string;
  readonly pool: Pool;
  drop(): Promise<void>;
}

/**
 * Creates a database with a random name (or opens `name`, created when missing), migrated to the
 * latest schema.
 */
export async function createTestDatabase(name = testDatabaseName()): Promise<TestDatabase> {
  const url = new URL(TEST_MYSQL_URL);
  url.pathname = `/${name}`;
  const settings = parseMysqlUrl(url.toString());
  await ensureDatabase(settings);
  const pool = createMysqlPool(settings);
  await migrate(pool);
  return {
    url: url.toString(),
    pool,
    async drop() {
      await pool.query(`DROP DATABASE IF EXISTS \`${settings.database}\``);
      await pool.end();
    },
  };
}
