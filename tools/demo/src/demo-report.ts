import { canonicalDecimal } from '@cryptostream/schema';
import { KlineCheck, StoredWindow } from './kline-check';
import type { LakeCheck } from './lake-check';

const minute = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
const pad = (value: string | number, width: number) => String(value).padEnd(width);
const padLeft = (value: string | number, width: number) => String(value).padStart(width);
const decimal = (value: string | null) => (value === null ? 'NULL' : canonicalDecimal(value));

/**
 * The short table the demo prints: per symbol and size, windows written, first and last; then
 * a few rows of every size; then the kline check.
 */
export function demoReport(stored: readonly StoredWindow[], klineCheck: KlineCheck, klineSymbol: string, sampleRows = 2): string {
  const groups = new Map<string, StoredWindow[]>();
  for (const row of stored) groups.set(`${row.symbol} ${row.windowSize}`, [...(groups.get(`${row.symbol} ${row.windowSize}`) ?? []), row]);
  const lines = [`${pad('symbol', 13)} ${pad('size', 4)} ${padLeft('windows', 7)}  ${pad('first window (UTC)', 18)}  last window (UTC)`];
  for (const rows of groups.values()) {
    lines.push(`${pad(rows[0].symbol, 13)} ${pad(rows[0].windowSize, 4)} ${padLeft(rows.length, 7)}  ${pad(minute(rows[0].startMs), 18)}  ${minute(rows.at(-1)!.startMs)}`);
  }
  const sizes = [...new Set(stored.map((row) => row.windowSize))];
  for (const size of sizes) {
    lines.push('', `${size} windows, first ${sampleRows} of each symbol:`);
    lines.push(`  ${pad('symbol', 12)} ${pad('start', 16)}  ${padLeft('average_price', 13)}  ${padLeft('open', 8)}  ${padLeft('high', 8)}  ${padLeft('low', 8)}  ${padLeft('close', 8)}  ${padLeft('volume', 10)}  ${padLeft('quote (base) vol.', 18)}  ${padLeft('trades', 6)}`);
    for (const rows of groups.values()) {
      if (rows[0].windowSize !== size) continue;
      for (const row of rows.slice(0, sampleRows)) {
        lines.push(`  ${pad(row.symbol, 12)} ${pad(minute(row.startMs), 16)}  ${padLeft(row.averagePrice, 13)}  ${padLeft(decimal(row.open), 8)}  ${padLeft(decimal(row.high), 8)}  ${padLeft(decimal(row.low), 8)}  ${padLeft(decimal(row.close), 8)}  ${padLeft(decimal(row.volume), 10)}  ${padLeft(row.baseVolume === null ? decimal(row.quoteVolume) : `(${decimal(row.baseVolume)})`, 18)}  ${padLeft(row.tradeCount, 6)}`);
      }
    }
  }
  lines.push('');
  for (const { size, compared, equal } of klineCheck.bySize) {
    const against = size === '1m' ? "Binance's own 1m klines" : `Binance's 1m klines combined into ${size} (first open, last close, max high, min low, sums)`;
    lines.push(`Binance kline check (${klineSymbol} ${size}): ${equal} of ${compared} complete intervals equal ${against} in open, high, low, close, volume, quote volume, trade count and taker buy base and quote volume.`);
  }
  lines.push(...klineCheck.differences.map((line) => `  DIFFERS ${line}`));
  return lines.join('\n');
}

/** The lake's part of the report: a DuckDB query of it, and its candles against MySQL's. */
export function lakeReport(check: LakeCheck, lakeDir: string, databaseUrl: string): string {
  const answer = check.sample;
  const cells = answer.rows.map((row) => row.map((value) => (value === null ? 'NULL' : decimal(String(value)))));
  const widths = answer.columns.map((name, i) => Math.max(name.length, ...cells.map((line) => line[i].length)));
  const line = (values: string[]) => `  ${values.map((value, i) => value.padEnd(widths[i])).join('  ').trimEnd()}`;
  const lines = [
    `The lake (${lakeDir}): ${check.trades} trades of ${check.topicRecords} records in the price topic, ${check.candles} final candles; through DuckDB:`,
    `  npm run -s lake -- query "${answer.sql}"`,
    line(answer.columns),
    ...cells.map(line),
    '',
    ...check.bySymbol.map(({ symbol, interval, lake, mysql, differences }) => `Lake check (${symbol} ${interval}): ${lake} candles computed from the lake's trades, ${mysql} in MySQL, ${differences} differences.`),
    `  (LAKE_DIR=${lakeDir} MYSQL_URL=${databaseUrl} npm run -s lake -- candles --symbol TRXUSDT --interval 5m --from … --to … --check)`,
  ];
  return lines.join('\n');
}
