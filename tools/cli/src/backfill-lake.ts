import { LakeArchive, LakeManifest, openLakeDuckdb, ParquetWriter, tradeRowOf, type LakeRow } from '@cryptostream/lake';
import { nonMarketReason, priceMessageOfTrade, readTradeFile } from '@cryptostream/market-data';
import { createMysqlPool, ensureDatabase, migrate, MysqlSettings } from '@cryptostream/persistence';
import { basename } from 'node:path';
import type { WindowCommandArgs } from './cli-args';

/** The manifest's "consumer group" of file imports: their progress is per file, by line. */
const BACKFILL_GROUP = 'cryptostream-backfill';
/** Rows per commit: what one import holds in memory. */
const COMMIT_ROWS = 200_000;

/** What an import of files into the lake did. */
export interface LakeImport {
  readonly files: number;
  readonly trades: number;
  /** Files (or their beginnings) already in the lake from an earlier run, skipped. */
  readonly skippedLines: number;
}

/**
 * Writes the market trades of Binance trade files (daily archives `…-trades-…` and `…-aggTrades-…`,
 * recordings) into the lake, through the archiver's own path: each file is a "topic" of its own
 * (`file.NAME`, partition 0, the line number as offset), committed in chunks with its progress in
 * `lake_progress`, so an import that is run again, or resumed after a crash, adds nothing twice.
 */
export async function backfillLake(args: WindowCommandArgs, settings: MysqlSettings, lakeDir: string, log: (line: string) => void): Promise<LakeImport> {
  await ensureDatabase(settings);
  const pool = createMysqlPool(settings, 2);
  const duck = await openLakeDuckdb({ threads: 1 });
  let trades = 0;
  let skippedLines = 0;
  try {
    await migrate(pool);
    const manifest = new LakeManifest(pool);
    const archive = new LakeArchive(lakeDir, new ParquetWriter(duck.connection), manifest);
    for (const file of args.files) {
      // A name fit for a file name: `file.` and the file's name, other characters as `_`.
      const topic = `file.${basename(file).replace(/[^A-Za-z0-9._-]/g, '_')}`.slice(0, 200);
      let from = (await manifest.readProgress(BACKFILL_GROUP, topic)).get(0) ?? 0;
      let rows: LakeRow[] = [];
      let next = from;
      const commit = async () => {
        const { committed } = await archive.commit({ consumerGroup: BACKFILL_GROUP, topic, partition: 0, fromOffset: from, nextOffset: next }, rows);
        if (!committed) throw new Error(`${file}: another import is writing it`);
        trades += rows.length;
        from = next;
        rows = [];
      };
      for await (const line of readTradeFile(file, { symbol: args.symbol })) {
        if (line.line < from) {
          skippedLines++;
          continue;
        }
        next = line.line + 1;
        if (!line.ok || nonMarketReason(line.trade) !== undefined || (args.symbol !== undefined && line.trade.symbol !== args.symbol)) continue;
        const message = priceMessageOfTrade(line.trade, 'replay', args.contractSizes.get(line.trade.symbol));
        const row = tradeRowOf(0, { offset: String(line.line), value: Buffer.from(JSON.stringify(message)) });
        if ('skipped' in row) log(`${file}:${line.line}: not a valid price message`);
        else rows.push(row);
        if (rows.length >= COMMIT_ROWS) await commit();
      }
      if (next > from) await commit();
    }
    return { files: args.files.length, trades, skippedLines };
  } finally {
    duck.connection.closeSync();
    duck.instance.closeSync();
    await pool.end();
  }
}
