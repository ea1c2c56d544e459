import { parseWindowCommandArgs } from './cli-args';
import { windowJson } from './window-json';
import { emptyCounts, summaryOf, windowsOfFiles } from './windows-of-files';

const USAGE = 'usage: npm run -s aggregate -- [--window 1m[,5m,…]] [--grace 0s] [--empty-windows skip|carry] [--contract-sizes TRXUSD_PERP:10] [--symbol S] FILE...';

/**
 * `aggregate`: exact tumbling windows of Binance trade files, one JSON object per line on
 * stdout; problems and a summary on stderr. Exit code 1 when a line or file could not be read.
 */
async function main(): Promise<number> {
  const args = parseWindowCommandArgs(process.argv.slice(2), USAGE);
  const counts = emptyCounts();
  for await (const windows of windowsOfFiles(args, counts, { onProblem: (message) => process.stderr.write(`${message}\n`) })) {
    const text = windows.map(windowJson).join('\n') + '\n';
    if (!process.stdout.write(text)) await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
  process.stderr.write(`aggregate: ${summaryOf(counts)}\n`);
  return counts.malformed + counts.unreadableFiles > 0 ? 1 : 0;
}

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main().then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    process.stderr.write(`aggregate: ${(error as Error).message}\n`);
    process.exitCode = 2;
  },
);
