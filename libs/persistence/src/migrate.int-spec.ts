import { createTestDatabase, TEST_MYSQL_URL, testDatabaseName } from './testing';
import { checkMigrated, migrate } from './migrate';
import { MIGRATIONS } from './migrations';
import { createMysqlPool, ensureDatabase } from './mysql-pool';
import { parseMysqlUrl } from './mysql-url';


describe('migrate and checkMigrated (real MySQL)', () => {
  it('passes a migrated database without applying anything, and names what an older one lacks', async () => {
    const migrated = await createTestDatabase();
    const behind = parseMysqlUrl(TEST_MYSQL_URL.replace(/\/[^/]*$/, `/${testDatabaseName('cryptostream_behind')}`));
    await ensureDatabase(behind);
    const pool = createMysqlPool(behind, 1);
    try {
      await expect(checkMigrated(migrated.pool)).resolves.toBeUndefined();
      expect(await migrate(migrated.pool)).toEqual([]);
      await expect(checkMigrated(pool)).rejects.toThrow(`the database lacks migrations ${MIGRATIONS.map((m) => m.version).join(', ')} of this build`);
      await migrate(pool, MIGRATIONS.slice(0, 3));
      const missing = MIGRATIONS.slice(3).map((m) => m.version).join(', ');
      await expect(checkMigrated(pool)).rejects.toMatchObject({ retriable: true, message: expect.stringContaining(`lacks migrations ${missing} of this build: run them with a user that may change the schema`) });
    } finally {
      await pool.query(`DROP DATABASE IF EXISTS \`${behind.database}\``);
      await pool.end();
      await migrated.drop();
    }
  });
});
