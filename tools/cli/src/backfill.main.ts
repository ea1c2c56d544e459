import { mysqlSettings, SettingsReader } from '@cryptostream/config';
import { backfill } from './backfill';
import { parseWindowCommandArgs } from './cli-args';
import { summaryOf } from './windows-of-files';

const USAGE = 'usage: [MYSQL_URL=…] npm run backfill -- [--window 1m[,5m,…]] [--grace 0s] [--empty-windows skip|carry] [--contract-sizes TRXUSD_PERP:10] [--symbol S] FILE...';

/**
 * `backfill`: the windows of Binance trade files, upserted into MySQL (`MYSQL_URL`), with a
 * progress bar on stderr. Idempotent. Exit code 1 when a line or file could not be read.
 */
async function main(): Promise<number> {
  const args = parseWindowCommandArgs(process.argv.slice(2), USAGE);
  const settings = mysqlSettings(new SettingsReader(process.env));
  const counts = await backfill(args, settings, (line) => process.stderr.write(`\n${line}\n`), process.stderr);
  process.stderr.write(`backfill: ${summaryOf(counts)}; upserted into ${settings.host}:${settings.port}/${settings.database}\n`);
  return counts.malformed + counts.unreadableFiles > 0 ? 1 : 0;
}

main().then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    process.stderr.write(`backfill: ${(error as Error).message}\n`);
    process.exitCode = 2;
  },
);
