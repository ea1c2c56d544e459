/**
 * `npx nx run persistence:migrate`: creates the database named by MYSQL_URL (default
 * mysql://root@127.0.0.1:3306/cryptostream) and applies the pending migrations.
 */
import { ConfigError } from '@cryptostream/schema';
import { migrate } from './migrate';
import { createMysqlPool, ensureDatabase } from './mysql-pool';
import { DEFAULT_MYSQL_URL, parseMysqlUrl } from './mysql-url';

async function main(): Promise<void> {
  const settings = parseMysqlUrl(process.env['MYSQL_URL'] ?? DEFAULT_MYSQL_URL);
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
  process.stderr.write(`migrate: ${error instanceof ConfigError ? error.message : (error as Error).stack}\n`);
  process.exit(1);
});
