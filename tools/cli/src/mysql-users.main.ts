/**
 * `scripts/mysql.sh users`: creates the MySQL user of each role (libs/persistence
 * database-roles) with its grants on MYSQL_URL's database, as MYSQL_URL's user (root, or any
 * user that may grant). Passwords: MYSQL_USERS_PASSWORD_DIR/<user>.password (default
 * .local/mysql/users), made once with a random password where missing. MYSQL_USERS_REQUIRE_SSL=on
 * makes the server refuse them in plaintext. Run it after the migrations: table grants need the
 * tables (a role whose tables do not exist yet, the archiver's before migration 011, is skipped
 * with a note).
 */
import { mysqlSettings, SettingsReader } from '@cryptostream/config';
import { createMysqlPool, DATABASE_ROLES, provisionRoleUser, roleUser } from '@cryptostream/persistence';
import { redactSecrets } from '@cryptostream/schema';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

async function main(): Promise<void> {
  const settings = new SettingsReader(process.env);
  const mysql = mysqlSettings(settings);
  const dir = settings.text('MYSQL_USERS_PASSWORD_DIR', join(__dirname, '../../../.local/mysql/users'));
  const requireSsl = settings.flag('MYSQL_USERS_REQUIRE_SSL', false);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Users and grants need no database to connect to: the one named may not exist yet.
  const pool = createMysqlPool({ ...mysql, database: 'information_schema' }, 1);
  try {
    for (const role of DATABASE_ROLES) {
      const user = roleUser(role);
      const file = join(dir, `${user}.password`);
      if (!existsSync(file)) writeFileSync(file, randomBytes(18).toString('base64url'), { mode: 0o600 });
      try {
        await provisionRoleUser(pool, mysql.database, { role, user, password: readFileSync(file, 'utf8').trim(), requireSsl });
        process.stdout.write(`mysql-users: ${user} (${role}) on ${mysql.database}, password in ${file}${requireSsl ? ', TLS required' : ''}\n`);
      } catch (error) {
        if ((error as { code?: string }).code !== 'ER_NO_SUCH_TABLE') throw error;
        process.stdout.write(`mysql-users: ${user} (${role}) skipped: ${(error as Error).message} (run the migrations first)\n`);
      }
    }
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`mysql-users: ${redactSecrets((error as Error).message)}\n`);
  process.exitCode = 1;
});
