import { sleep } from '@cryptostream/service-runtime';
import { randomName, TestDatabase } from '@cryptostream/testing';
import type { WindowFigures } from '@cryptostream/windowing';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from 'mysql2/promise';
import { AggregatorProcess } from './aggregator-process';
import { compareWithTable, TableComparison } from './expected-windows';

export { sleep } from '@cryptostream/service-runtime';

let nextPort = 3400 + Math.floor(Math.random() * 400);

/** Starts aggregators of one scenario: same settings, fresh HTTP port, one log file. */
export function aggregatorLauncher(env: Record<string, string>, name: string, { nodeFlags }: { nodeFlags?: string } = {}) {
  const logFile = join(tmpdir(), `${randomName(name)}.log`);
  return {
    logFile,
    start: (extraEnv: Record<string, string> = {}) =>
      AggregatorProcess.start({ env: { ...env, ...extraEnv }, httpPort: nextPort++, logFile, nodeFlags }),
  };
}

/** Polls the table until it matches `expected` or time runs out; returns the last comparison. */
export async function waitForTable(
  pool: Pool | TestDatabase['pool'], expected: readonly WindowFigures[], timeoutMs: number, options: { ignoreRevision?: boolean } = {},
): Promise<TableComparison> {
  const deadline = Date.now() + timeoutMs;
  let comparison = await compareWithTable(pool, expected, options);
  while (Date.now() < deadline && !matches(comparison)) {
    await sleep(1_000);
    comparison = await compareWithTable(pool, expected, options);
  }
  return comparison;
}

export function matches(comparison: TableComparison): boolean {
  return comparison.missing.length === 0 && comparison.unexpected.length === 0 && comparison.differing.length === 0 && comparison.actual === comparison.expected;
}

/** One line for the report: what was compared and how many rows differ. */
export function summary(name: string, figures: Record<string, number | string>, comparison: TableComparison): string {
  const differences = comparison.missing.length + comparison.unexpected.length + comparison.differing.length;
  const text = Object.entries(figures).map(([key, value]) => `${key}=${value}`).join(' ');
  return `[fault] ${name}: ${text} rows_expected=${comparison.expected} rows_actual=${comparison.actual} differences=${differences}`;
}

/**
 * A clock message per partition `byMs` after the newest of `messages`: it closes every window of
 * a replay before it, as time would (its own windows stay open). The newest is found with a loop,
 * not a spread: the long fault variant has 300,000 messages, past `Math.max(...)`'s argument limit.
 */
export function clockMessagesAfter(partitions: number, messages: readonly { eventTimeMs: number }[], byMs = 2 * 86_400_000): { partition: number; key: string; value: string }[] {
  let newestMs = Number.NEGATIVE_INFINITY;
  for (const message of messages) if (message.eventTimeMs > newestMs) newestMs = message.eventTimeMs;
  const aheadMs = newestMs + byMs;
  return Array.from({ length: partitions }, (_, partition) => ({
    partition, key: `CLOCK${partition}`, value: JSON.stringify({ symbol: `CLOCK${partition}`, price: '1', quantity: '0', timestamp: aheadMs / 1000, eventTimeMs: aheadMs }),
  }));
}
