import { runLake, UsageError } from './lake/lake-command';

/** `lake query|candles|compact`: the data lake through DuckDB (see docs/lake.md). */
runLake(process.argv.slice(2), process.env, { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) }).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    process.stderr.write(`lake: ${(error as Error).message}\n`);
    process.exitCode = error instanceof UsageError || error instanceof TypeError ? 2 : 1;
  },
);
