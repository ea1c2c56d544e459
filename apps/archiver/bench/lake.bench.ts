/**
 * The lake's figures on this machine's broker and MySQL:
 *
 *   npm run bench:lake [-- N]      (N trades, default 300000; run under `taskset -c 0` by the npm script)
 *
 * BENCH_VARIANTS (JSON `{"label": {"nodeFlags": "…", "env": {…}}}`) runs an archiver per variant
 * in every round, each against the same rounds' aggregator; AGGREGATOR_NODE_FLAGS replaces the
 * aggregator's V8 flags, as in bench:rss.
 *
 * 1. Throughput: N trades (the recordings spread over symbols and repeated) are published to a
 *    fresh topic; then BENCH_ROUNDS rounds (default 2), each one archiver (fresh group, database
 *    and lake) and one aggregator (`WINDOW_SIZES=1m`, fresh group and database), one after the
 *    other on that topic, pinned to one core. Per run: CPU time after start-up per trade (utime +
 *    stime of the process, the figure least moved by other load) and the wall rate from ready to
 *    done (the archiver: `lake_progress` covers all N; the aggregator: it has consumed all N).
 * 2. Bytes per trade on disk: the 20,000 recorded trades written as the archiver writes them, in
 *    files of LAKE_ROLL_ROWS (100,000: one file per symbol-day), and the first round's lake of N
 *    trades as archived and after `compact`.
 * 3. Query time, medians of 5, on the first round's compacted lake: "1m candles of one
 *    symbol-day" (the engine over the lake's trades, `npm run lake -- candles`) and "count of one
 *    day's trades" (`npm run lake -- query`), each from opening the reader (the manifest read).
 */
import 'reflect-metadata';
import { candlesOfLake, compactLake, LakeArchive, LakeManifest, LakeReader, openLakeDuckdb, ParquetWriter, tradeRowOf, type LakeRow } from '@cryptostream/lake';
import {
  AppProcess, createTestDatabase, createTestTopics, ensureKafka, freePort, produceMessages, randomName, readRecordedTrades, sleep, spreadTrades, TEST_KAFKA_BROKERS,
  testKafka, TestDatabase,
} from '@cryptostream/testing';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const N = Number(process.argv[2] ?? process.env['BENCH_TRADES'] ?? 300_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 2);
const DAY = '2025-03-04';

interface Variant {
  readonly nodeFlags?: string;
  readonly env?: Record<string, string>;
}
const VARIANTS = Object.entries(JSON.parse(process.env['BENCH_VARIANTS'] ?? '{"":{}}') as Record<string, Variant>);
const flagsOf = (flags: string | undefined) => (flags === undefined ? undefined : flags.split(' ').filter(Boolean));
const archiverName = (label: string) => (label === '' ? 'archiver' : `archiver ${label}`);

interface Run {
  readonly cpuUsPerTrade: number;
  readonly wallRate: number;
}

const print = (line: string) => process.stdout.write(`${line}\n`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  ensureKafka();
  const recorded = await readRecordedTrades();
  const copies = Math.max(1, Math.ceil(N / recorded.length / 3));
  const messages = spreadTrades(recorded, { symbolsPerRecording: copies, repeats: 3, partitions: 3 }).slice(0, N);
  const topics = await createTestTopics(['prices', 'dlq', 'windows'], 3);
  const producer = testKafka().producer();
  await producer.connect();
  // 2,000 a send: a chunk of one partition's messages stays below the broker's 1 MB limit at any N.
  await produceMessages(producer, topics.topics['prices'], messages, { chunk: 2_000 });
  await producer.disconnect();
  print(`bench:lake: ${messages.length} trades on ${topics.topics['prices']} (3 partitions), ${ROUNDS} rounds, affinity ${process.env['BENCH_AFFINITY'] ?? 'as started'}`);
  const archiverRuns = new Map<string, Run[]>(VARIANTS.map(([label]) => [label, []]));
  const aggregatorRuns: Run[] = [];
  const cleanup: (() => Promise<void>)[] = [() => topics.dispose()];
  let firstLake: { dir: string; db: TestDatabase } | undefined;
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const archivers: string[] = [];
      for (const [label, variant] of VARIANTS) {
        const db = await createTestDatabase();
        const dir = mkdtempSync(join(tmpdir(), 'bench-lake-'));
        cleanup.push(async () => { await db.drop(); rmSync(dir, { recursive: true, force: true }); });
        const archiver = await timedRun('archiver', {
          KAFKA_TOPIC: topics.topics['prices'], KAFKA_DLQ_TOPIC: topics.topics['dlq'], KAFKA_WINDOWS_TOPIC: topics.topics['windows'], KAFKA_GROUP_ID: randomName('bench_archiver'),
          MYSQL_URL: db.url, LAKE_DIR: dir, LAKE_ROLL_MS: '2000', ...variant.env,
        }, () => archived(db.pool, topics.topics['prices']), messages.length, flagsOf(variant.nodeFlags));
        archiverRuns.get(label)!.push(archiver);
        archivers.push(`${archiverName(label)} ${archiver.cpuUsPerTrade.toFixed(2)} µs CPU/trade, ${Math.round(archiver.wallRate)} trades/s wall`);
        firstLake ??= { dir, db };
      }
      const aggregatorDb = await createTestDatabase();
      cleanup.push(() => aggregatorDb.drop());
      const aggregator = await timedRun('aggregator', {
        KAFKA_TOPIC: topics.topics['prices'], KAFKA_DLQ_TOPIC: topics.topics['dlq'], KAFKA_WINDOWS_TOPIC: topics.topics['windows'], KAFKA_GROUP_ID: randomName('bench_aggregator'),
        MYSQL_URL: aggregatorDb.url, WINDOW_SIZES: '1m', WINDOW_UPDATES: 'off',
      }, (app) => consumed(app), messages.length, flagsOf(process.env['AGGREGATOR_NODE_FLAGS']));
      aggregatorRuns.push(aggregator);
      print(`  round ${round}: ${archivers.join('; ')}; aggregator ${aggregator.cpuUsPerTrade.toFixed(2)} µs CPU/trade, ${Math.round(aggregator.wallRate)} trades/s wall`);
    }
    const g = median(aggregatorRuns.map((r) => r.cpuUsPerTrade));
    for (const [label, runs] of archiverRuns) {
      const a = median(runs.map((r) => r.cpuUsPerTrade));
      print(`throughput (medians): ${archiverName(label)} ${a.toFixed(2)} µs CPU/trade = ${Math.round(1e6 / a)} trades per CPU-second; aggregator (1m) ${g.toFixed(2)} µs = ${Math.round(1e6 / g)}; archiver/aggregator ${(g / a).toFixed(2)}`);
    }
    await bytesPerTrade(recorded.length);
    await lakeFigures(firstLake!.dir, firstLake!.db.pool);
  } finally {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  }
}

/** Starts an app, waits until `done`, and measures its CPU and wall time after start-up. */
async function timedRun(app: 'archiver' | 'aggregator', env: Record<string, string>, done: (process: AppProcess) => Promise<number>, total: number, nodeFlags?: readonly string[]): Promise<Run> {
  const logDir = mkdtempSync(join(tmpdir(), `bench-${app}-`));
  const child = AppProcess.start(app, await freePort(), { KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), LOG_LEVEL: 'warn', ...env }, logDir, nodeFlags);
  try {
    await child.waitReady(120_000);
    const cpuStart = child.cpuMs();
    const started = Date.now();
    const deadline = started + 600_000;
    while ((await done(child)) < total) {
      if (Date.now() > deadline) throw new Error(`${app}: not done within 600 s\n${await child.logTail()}`);
      await sleep(100);
    }
    const wallMs = Date.now() - started;
    const cpuMs = child.cpuMs() - cpuStart;
    return { cpuUsPerTrade: (cpuMs * 1000) / total, wallRate: total / (wallMs / 1000) };
  } finally {
    await child.stop();
    rmSync(logDir, { recursive: true, force: true });
  }
}

async function archived(pool: Pool, topic: string): Promise<number> {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT COALESCE(SUM(next_offset), 0) AS n FROM lake_progress WHERE topic = ?', [topic]);
  return Number(rows[0]['n']);
}

async function consumed(app: AppProcess): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${app.port}/metrics`).then((response) => response.text(), () => '');
  let sum = 0;
  for (const match of text.matchAll(/^aggregator_messages_consumed_total\{[^}]*\} (\d+)/gm)) sum += Number(match[1]);
  return sum;
}

/** The recordings as the archiver writes them (one partition, one commit, a file per symbol-day). */
async function bytesPerTrade(count: number): Promise<void> {
  const db = await createTestDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'bench-bytes-'));
  const duck = await openLakeDuckdb({ threads: 1 });
  try {
    const recorded = await readRecordedTrades();
    const rows = spreadTrades(recorded, { symbolsPerRecording: 1, repeats: 1, partitions: 1 }).map((message, offset) => tradeRowOf(0, { offset: String(offset), value: Buffer.from(message.value) }) as LakeRow);
    const { files } = await new LakeArchive(dir, new ParquetWriter(duck.connection), new LakeManifest(db.pool)).commit(
      { consumerGroup: 'bench', topic: 'prices', partition: 0, fromOffset: 0, nextOffset: rows.length }, rows,
    );
    const bytes = files.reduce((sum, file) => sum + file.bytes, 0);
    print(`bytes per trade, the ${count} recorded trades in ${files.length} files (one per symbol-day): ${(bytes / rows.length).toFixed(2)} (${bytes} bytes)`);
  } finally {
    duck.connection.closeSync();
    duck.instance.closeSync();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Bytes per trade of the first round's lake as archived and compacted, then the query times. */
async function lakeFigures(dir: string, pool: Pool): Promise<void> {
  const manifest = new LakeManifest(pool);
  const sizes = async () => {
    const [rows] = await pool.query<RowDataPacket[]>("SELECT COUNT(*) AS files, SUM(bytes) AS bytes, SUM(row_count) AS n FROM lake_files WHERE dataset = 'trades' AND state = 'committed'");
    return { files: Number(rows[0]['files']), bytes: Number(rows[0]['bytes']), rows: Number(rows[0]['n']) };
  };
  const archived = await sizes();
  const duck = await openLakeDuckdb({ threads: 1 });
  await compactLake(dir, manifest, duck.connection, { dataset: 'trades' }, 0);
  duck.connection.closeSync();
  duck.instance.closeSync();
  const compacted = await sizes();
  print(`bytes per trade, ${archived.rows} trades as archived: ${(archived.bytes / archived.rows).toFixed(2)} in ${archived.files} files; compacted: ${(compacted.bytes / compacted.rows).toFixed(2)} in ${compacted.files} files`);
  const [[symbol, trades]] = (await query(dir, manifest, `SELECT symbol, count(*) FROM trades WHERE "date" = '${DAY}' GROUP BY symbol ORDER BY symbol LIMIT 1`)).rows;
  const from = Date.parse(`${DAY}T00:00:00Z`);
  const candleMs: number[] = [];
  const countMs: number[] = [];
  let candles = 0;
  let dayTrades = 0;
  for (let i = 0; i < 5; i++) {
    let started = performance.now();
    const reader = await LakeReader.open(dir, manifest, { threads: 1, symbol: String(symbol) });
    candles = (await candlesOfLake(reader, { symbol: String(symbol), fromMs: from, toMs: from + 86_400_000, intervalMs: 60_000 })).length;
    reader.close();
    candleMs.push(performance.now() - started);
    started = performance.now();
    dayTrades = Number((await query(dir, manifest, `SELECT count(*) FROM trades WHERE "date" = '${DAY}'`)).rows[0][0]);
    countMs.push(performance.now() - started);
  }
  print(`1m candles of one symbol-day (${symbol} ${DAY}, ${trades} trades → ${candles} candles, exact engine): median ${median(candleMs).toFixed(0)} ms`);
  print(`count of one day's trades (${DAY}, ${dayTrades} trades): median ${median(countMs).toFixed(0)} ms`);
}

async function query(dir: string, manifest: LakeManifest, sql: string) {
  const reader = await LakeReader.open(dir, manifest, { threads: 1 });
  try {
    return await reader.query(sql);
  } finally {
    reader.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench:lake failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
