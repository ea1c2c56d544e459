/**
 * `npx nx run persistence:migrate`: creates the database named by MYSQL_URL
 * (default mysql://root@127.0.0.1:3306/cryptostream) and applies the pending migrations, as a
 * user that may change the schema. Reads the MySQL settings of libs/config: MYSQL_URL,
 * MYSQL_SSL_CA_FILE, MYSQL_PASSWORD / MYSQL_PASSWORD_FILE.
 */
import { mysqlSettings, SettingsReader } from '@cryptostream/config';
import { createMysqlPool, ensureDatabase, migrate } from '@cryptostream/persistence';
import { ConfigError, redactSecrets } from '@cryptostream/schema';

async function main(): Promise<void> {
  const settings = mysqlSettings(new SettingsReader(process.env));
  await ensureDatabase(settings);
  const pool = createMysqlPool(settings, 1);
  try {
    const applied = await migrate(pool);
    process.stdout.write(`migrate: ${settings.database}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}\n`);
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`migrate: ${redactSecrets(error instanceof ConfigError ? error.message : String((error as Error).stack))}\n`);
  process.exit(1);
});
