import { KlineCheck, StoredWindow } from './kline-check';

const minute = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
const pad = (value: string | number, width: number) => String(value).padEnd(width);
const padLeft = (value: string | number, width: number) => String(value).padStart(width);

/** The short table the demo prints: per symbol, windows written, first and last, a few rows. */
export function demoReport(stored: readonly StoredWindow[], klineCheck: KlineCheck, klineSymbol: string, sampleRows = 3): string {
  const bySymbol = new Map<string, StoredWindow[]>();
  for (const row of stored) bySymbol.set(row.symbol, [...(bySymbol.get(row.symbol) ?? []), row]);
  const lines = [
    `${pad('symbol', 13)} ${padLeft('windows', 7)}  ${pad('first window (UTC)', 18)}  last window (UTC)`,
  ];
  for (const [symbol, rows] of bySymbol) {
    lines.push(`${pad(symbol, 13)} ${padLeft(rows.length, 7)}  ${pad(minute(rows[0].startMs), 18)}  ${minute(rows.at(-1)!.startMs)}`);
  }
  for (const [symbol, rows] of bySymbol) {
    lines.push('', `${symbol}, first ${Math.min(sampleRows, rows.length)} windows:`);
    lines.push(`  ${pad('start', 16)}  ${padLeft('average_price', 13)}  ${padLeft('open', 10)}  ${padLeft('high', 10)}  ${padLeft('low', 10)}  ${padLeft('close', 10)}  ${padLeft('volume', 18)}  ${padLeft('trades', 6)}`);
    for (const row of rows.slice(0, sampleRows)) {
      const d = (value: string) => value.replace(/\.?0+$/, '');
      lines.push(`  ${pad(minute(row.startMs), 16)}  ${padLeft(row.averagePrice, 13)}  ${padLeft(d(row.open), 10)}  ${padLeft(d(row.high), 10)}  ${padLeft(d(row.low), 10)}  ${padLeft(d(row.close), 10)}  ${padLeft(d(row.volume), 18)}  ${padLeft(row.tradeCount, 6)}`);
    }
  }
  const matched = klineCheck.compared - new Set(klineCheck.differences.map((line) => line.slice(0, 24))).size;
  lines.push('', `Binance kline check (${klineSymbol}): ${matched} of ${klineCheck.compared} complete minutes equal Binance's own 1m klines`
    + ' in open, high, low, close, volume, quote volume and trade count.');
  lines.push(...klineCheck.differences.map((line) => `  DIFFERS ${line}`));
  return lines.join('\n');
}
