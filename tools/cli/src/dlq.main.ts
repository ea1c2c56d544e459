import { runDlq, UsageError } from './dlq/dlq-command';

/** `dlq list|show|replay`: the dead letters of `crypto_prices.dlq` (see tools/cli/README.md). */
runDlq(process.argv.slice(2), process.env, { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) }).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    process.stderr.write(`dlq: ${(error as Error).message}\n`);
    process.exitCode = error instanceof UsageError || error instanceof TypeError ? 2 : 1;
  },
);
