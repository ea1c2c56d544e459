import { createKafka, KafkaConnection } from '@cryptostream/kafka-io';
import { checkLakeCandles, LakeManifest, LakeReader } from '@cryptostream/lake';
import { sleep } from '@cryptostream/service-runtime';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { StoredWindow } from './kline-check';

/** What the demo found in the lake. */
export interface LakeCheck {
  /** Trades in committed files, and records in the price topic (equal once archived). */
  readonly trades: number;
  readonly topicRecords: number;
  readonly candles: number;
  /** Per symbol and size: candles computed from the lake's trades, MySQL's rows, and differences. */
  readonly bySymbol: readonly { symbol: string; interval: string; lake: number; mysql: number; differences: number }[];
  /** A DuckDB query of the lake, as the demo prints it. */
  readonly sample: { readonly sql: string; readonly columns: string[]; readonly rows: unknown[][] };
}

/** Polls until the archiver's committed progress covers every record of `topic`. */
export async function waitForArchive(connection: KafkaConnection, pool: Pool, topic: string, timeoutMs: number): Promise<number> {
  const admin = createKafka({ clientId: 'cryptostream-demo', connection }).admin();
  await admin.connect();
  const end = (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
  await admin.disconnect();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [rows] = await pool.query<RowDataPacket[]>('SELECT COALESCE(SUM(next_offset), 0) AS n FROM lake_progress WHERE topic = ?', [topic]);
    if (Number(rows[0]['n']) >= end) return end;
    if (Date.now() > deadline) throw new Error(`the archiver committed ${rows[0]['n']} of ${end} records of ${topic} within ${timeoutMs} ms`);
    await sleep(250);
  }
}

export const LAKE_SAMPLE_SQL =
  'SELECT symbol, count(*) AS trades, min(event_time) AS first, max(event_time) AS last, sum(quantity) AS volume, sum(CASE WHEN NOT is_buyer_maker THEN quantity END) AS taker_buy_volume FROM trades GROUP BY symbol ORDER BY symbol';

/**
 * Reads the lake back through DuckDB: the trades it holds, and for each recorded symbol its 1m
 * and 5m candles (those the run wrote) computed from the lake's trades by the window engine,
 * compared with MySQL's rows field by field.
 */
export async function checkLake(lakeDir: string, pool: Pool, stored: readonly StoredWindow[], topicRecords: number, clockSymbol: string): Promise<LakeCheck> {
  const reader = await LakeReader.open(lakeDir, new LakeManifest(pool));
  try {
    const [[trades]] = (await reader.query('SELECT count(*) FROM trades')).rows;
    const [[candles]] = (await reader.query('SELECT count(*) FROM candles')).rows;
    const bySymbol: LakeCheck['bySymbol'][number][] = [];
    // The sizes the run wrote (any WINDOW_SIZES), and each symbol's span over all of its rows.
    const intervals = ['1m', '5m'].filter((interval) => stored.some((row) => row.windowSize === interval));
    for (const symbol of [...new Set(stored.map((row) => row.symbol))].filter((s) => s !== clockSymbol)) {
      const rows = stored.filter((row) => row.symbol === symbol);
      const fromMs = rows.reduce((min, row) => Math.min(min, row.startMs), Number.POSITIVE_INFINITY);
      const toMs = rows.reduce((max, row) => Math.max(max, row.endMs), Number.NEGATIVE_INFINITY);
      for (const interval of intervals) {
        const check = await checkLakeCandles(reader, pool, { symbol, fromMs, toMs }, interval);
        bySymbol.push({ symbol, interval, lake: check.lake.length, mysql: check.mysql, differences: check.differences.length });
      }
    }
    const sample = await reader.query(LAKE_SAMPLE_SQL);
    return { trades: Number(trades), topicRecords, candles: Number(candles), bySymbol, sample: { sql: LAKE_SAMPLE_SQL, ...sample } };
  } finally {
    reader.close();
  }
}
