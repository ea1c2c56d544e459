import { lakeDir, mysqlSettings, SettingsReader } from '@cryptostream/config';
import { backfill } from './backfill';
import { backfillLake } from './backfill-lake';
import { parseWindowCommandArgs } from './cli-args';
import { summaryOf } from './windows-of-files';

const USAGE = 'usage: [MYSQL_URL=…] [LAKE_DIR=.local/lake] npm run backfill -- [--lake] [--window 1m[,5m,…]] [--grace 0s] [--empty-windows skip|carry] [--contract-sizes TRXUSD_PERP:10] [--symbol S] FILE...';

/**
 * `backfill`: the windows of Binance trade files, upserted into MySQL (`MYSQL_URL`), with a
 * progress bar on stderr; with `--lake`, their trades also written into the data lake
 * (`LAKE_DIR`). Idempotent. Exit code 1 when a line or file could not be read.
 */
async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const toLake = argv.includes('--lake');
  const args = parseWindowCommandArgs(argv.filter((arg) => arg !== '--lake'), USAGE);
  const reader = new SettingsReader(process.env);
  const settings = mysqlSettings(reader);
  if (toLake) {
    const dir = lakeDir(reader);
    const imported = await backfillLake(args, settings, dir, (line) => process.stderr.write(`${line}\n`));
    process.stderr.write(`backfill: ${imported.trades} trades of ${imported.files} file(s) written into the lake ${dir}${imported.skippedLines ? ` (${imported.skippedLines} lines already there)` : ''}\n`);
  }
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
