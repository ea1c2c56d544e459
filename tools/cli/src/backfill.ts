import { statSync } from 'node:fs';
import { createMysqlPool, ensureDatabase, migrate, MysqlSettings, MysqlWindowRepository } from '@cryptostream/persistence';
import type { WindowFigures } from '@cryptostream/windowing';
import { WindowCommandArgs } from './cli-args';
import { ProgressBar, ProgressOutput } from './progress-bar';
import { emptyCounts, RunCounts, windowsOfFiles } from './windows-of-files';

/** Windows per upsert round trip. */
const UPSERT_BATCH = 1_000;

/**
 * Computes the windows of the files exactly as `aggregate` does and upserts them into
 * `moving_averages` (creating and migrating the database if needed). Windows are keyed by
 * (symbol, start, end) and rewritten only when a value changes, so running it twice changes
 * nothing. Problems go to `log`; the progress bar to `progress`.
 */
export async function backfill(args: WindowCommandArgs, settings: MysqlSettings, log: (line: string) => void, progress: ProgressOutput): Promise<RunCounts> {
  const totalBytes = args.files.reduce((sum, file) => sum + sizeOf(file), 0);
  const counts = emptyCounts();
  const bar = new ProgressBar(totalBytes, progress, () => `${counts.windows} windows, ${counts.trades} trades`);
  await ensureDatabase(settings);
  const pool = createMysqlPool(settings);
  try {
    await migrate(pool);
    const repository = new MysqlWindowRepository(pool);
    let pending: WindowFigures[] = [];
    for await (const windows of windowsOfFiles(args, counts, { onProblem: log, onBytesRead: (bytes) => bar.advance(bytes) })) {
      pending.push(...windows);
      if (pending.length >= UPSERT_BATCH) {
        await repository.upsertWindows(pending);
        pending = [];
      }
    }
    if (pending.length > 0) await repository.upsertWindows(pending);
    bar.finish();
    return counts;
  } finally {
    await pool.end();
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0; // reported as unreadable when read
  }
}
