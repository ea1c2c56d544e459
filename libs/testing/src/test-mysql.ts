import { createMysqlPool, ensureDatabase, migrate, parseMysqlUrl } from '@cryptostream/persistence';
import type { Pool } from 'mysql2/promise';
import { randomName } from './random-name';

/** The server integration tests use: TEST_MYSQL_URL's server, else root@127.0.0.1:3306. */
const SERVER_URL = process.env['TEST_MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/test';

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
export async function createTestDatabase(name = randomName('cryptostream_test')): Promise<TestDatabase> {
  const url = new URL(SERVER_URL);
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
