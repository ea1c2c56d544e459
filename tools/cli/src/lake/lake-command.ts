import { Env, lakeDir, mysqlSettings, SettingsReader } from '@cryptostream/config';
import { candlesOfLake, checkLakeCandles, compactLake, DATASET_NAMES, DatasetName, LakeManifest, LakeReader, openLakeDuckdb } from '@cryptostream/lake';
import { createMysqlPool } from '@cryptostream/persistence';
import { parseWindowSizes } from '@cryptostream/windowing';
import type { Pool } from 'mysql2/promise';
import { parseArgs } from 'node:util';
import { windowJson } from '../window-json';
import { ANSWER_FORMATS, AnswerFormat, formatAnswer } from './answer-format';

export const LAKE_USAGE = `usage: [LAKE_DIR=.local/lake] [MYSQL_URL=mysql://root@127.0.0.1:3306/cryptostream] npm run -s lake -- COMMAND
  query "SQL" [--format table|csv|jsonl]     DuckDB SQL over the views trades, candles (latest revision),
                                             candle_revisions and dead_letters: committed files only
  candles --symbol S --interval 5m --from T --to T [--check]
                                             candles computed from the lake's trades (JSON lines); --check
                                             compares them with MySQL's rows and exits 1 on a difference
  compact [--dataset trades|candles|dead_letters] [--symbol S] [--date YYYY-MM-DD]
                                             merges each symbol-day's files into one, atomically
T is an ISO-8601 time (2025-03-04T00:00:00Z) or epoch milliseconds.`;

/** Where the command writes: stdout for results, stderr for summaries. */
export interface LakeOutput {
  out(text: string): void;
  err(text: string): void;
}

/** Bad arguments: the message is the usage. */
export class UsageError extends Error {}

/** Runs `lake` with its arguments; returns the exit code (0 done, 1 differences found). */
export async function runLake(argv: readonly string[], env: Env, output: LakeOutput): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'table' },
      symbol: { type: 'string' },
      interval: { type: 'string', default: '1m' },
      from: { type: 'string' },
      to: { type: 'string' },
      check: { type: 'boolean', default: false },
      dataset: { type: 'string', default: 'trades' },
      date: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) throw new UsageError(LAKE_USAGE);
  const settings = new SettingsReader(env);
  const root = lakeDir(settings);
  const pool = createMysqlPool(mysqlSettings(settings), 2);
  try {
    const manifest = new LakeManifest(pool);
    if (command === 'query') {
      if (rest.length !== 1) throw new UsageError(`query takes one SQL text\n${LAKE_USAGE}`);
      const format = values.format as AnswerFormat;
      if (!ANSWER_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${ANSWER_FORMATS.join(', ')}`);
      const reader = await LakeReader.open(root, manifest);
      try {
        output.out(formatAnswer(await reader.query(rest[0]), format));
      } finally {
        reader.close();
      }
      return 0;
    }
    if (command === 'candles') return await candles(root, manifest, pool, values, output);
    if (command === 'compact') {
      const dataset = values.dataset as DatasetName;
      if (!DATASET_NAMES.includes(dataset)) throw new UsageError(`--dataset must be one of ${DATASET_NAMES.join(', ')}`);
      const { connection, instance } = await openLakeDuckdb();
      try {
        const graceMs = settings.integer('LAKE_RETIRED_GRACE_MS', 600_000, 0, 7 * 86_400_000);
        const result = await compactLake(root, manifest, connection, { dataset, symbol: values.symbol, date: values.date }, graceMs);
        output.err(`compact ${dataset}: ${result.merged} director${result.merged === 1 ? 'y' : 'ies'} merged, ${result.filesBefore} → ${result.filesAfter} files; ${result.deletedRetired} retired file(s) deleted\n`);
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
      return 0;
    }
    throw new UsageError(`unknown command ${JSON.stringify(command)}\n${LAKE_USAGE}`);
  } finally {
    await pool.end();
  }
}

async function candles(root: string, manifest: LakeManifest, pool: Pool, values: { symbol?: string; interval?: string; from?: string; to?: string; check?: boolean }, output: LakeOutput): Promise<number> {
  if (!values.symbol || !values.from || !values.to) throw new UsageError(`candles needs --symbol, --from and --to\n${LAKE_USAGE}`);
  const interval = values.interval ?? '1m';
  const [size] = parseWindowSizes(interval);
  const range = { symbol: values.symbol, fromMs: timeOf(values.from, '--from'), toMs: timeOf(values.to, '--to') };
  const reader = await LakeReader.open(root, manifest, range);
  try {
    if (!values.check) {
      const windows = await candlesOfLake(reader, { ...range, intervalMs: size.ms });
      for (const window of windows) output.out(`${windowJson(window)}\n`);
      output.err(`${windows.length} ${size.label} candles of ${range.symbol} from the lake\n`);
      return 0;
    }
    const check = await checkLakeCandles(reader, pool, range, interval);
    for (const difference of check.differences) output.out(`${JSON.stringify({ ...difference, start_time: new Date(difference.startMs).toISOString() })}\n`);
    output.err(`${size.label} candles of ${range.symbol}: ${check.lake.length} from the lake, ${check.mysql} in MySQL, ${check.differences.length} differences\n`);
    return check.differences.length === 0 ? 0 : 1;
  } finally {
    reader.close();
  }
}

function timeOf(text: string, option: string): number {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) throw new UsageError(`${option} must be an ISO-8601 time or epoch milliseconds, got ${JSON.stringify(text)}`);
  return ms;
}
