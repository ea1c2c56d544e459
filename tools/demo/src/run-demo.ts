import { ensureTopics } from '@cryptostream/kafka-io';
import { readKlineFile } from '@cryptostream/market-data';
import { createMysqlPool, ensureDatabase, MysqlSettings, parseMysqlUrl } from '@cryptostream/persistence';
import { AppProcess, freePort, sleep } from '@cryptostream/testing';
import { Kafka, logLevel } from 'kafkajs';
import { mkdir } from 'node:fs/promises';
import { CONTRACT_SIZES, expectedWindows } from './expected-windows';
import { compareWindows, compareWithKlines, KlineCheck, StoredWindow } from './kline-check';
import { countStoredWindows, readStoredWindows } from './stored-windows';

export interface DemoOptions {
  /** Recorded Binance trades to replay. */
  readonly files: readonly string[];
  /** Binance's own klines for one of the recorded symbols, and that symbol. */
  readonly klines: { readonly file: string; readonly symbol: string; readonly completeMinutes: number };
  readonly kafkaBrokers: string;
  /** MYSQL_URL naming the demo's own database; it is emptied first. */
  readonly mysqlUrl: string;
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly groupId: string;
  readonly windowSizeMs: number;
  readonly logDir: string;
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
}

export interface DemoResult {
  readonly expected: readonly StoredWindow[];
  readonly stored: readonly StoredWindow[];
  /** Where MySQL differs from the offline `aggregate` result; empty when equal. */
  readonly differences: readonly string[];
  readonly klineCheck: KlineCheck;
  readonly pipelineMs: number;
}

/**
 * The walking skeleton end to end: empty the demo's topic and database, start the aggregator and
 * the ingestor (replaying the recordings), wait until every window of the sample is in MySQL,
 * then stop both apps. Throws with the apps' log tails when a step fails.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { log } = options;
  await mkdir(options.logDir, { recursive: true });
  await resetTopics(options);
  const settings = parseMysqlUrl(options.mysqlUrl);
  await recreateDatabase(settings);
  const pool = createMysqlPool(settings, 2);
  const apps: AppProcess[] = [];
  try {
    const expected = await expectedWindows(options.files, options.windowSizeMs);
    log(`expecting ${expected.length} windows for ${new Set(expected.map((w) => w.symbol)).size} symbols`);

    const kafkaEnv = {
      KAFKA_BROKERS: options.kafkaBrokers,
      KAFKA_TOPIC: options.topic,
      KAFKA_DLQ_TOPIC: options.deadLetterTopic,
    };
    const started = Date.now();
    const aggregator = AppProcess.start('aggregator', await freePort(), {
      ...kafkaEnv, KAFKA_GROUP_ID: options.groupId, MYSQL_URL: options.mysqlUrl, WINDOW_SIZE: `${options.windowSizeMs / 1000}s`,
    }, options.logDir);
    apps.push(aggregator);
    await aggregator.waitReady();
    log(`aggregator ready on :${aggregator.port} (log: ${aggregator.logFile})`);
    const ingestor = AppProcess.start('ingestor', await freePort(), {
      ...kafkaEnv, INGESTOR_SOURCE: 'replay', REPLAY_FILES: options.files.join(','), REPLAY_SPEED: '0',
      // Offline, the COIN-M contract size of the recorded TRXUSD_PERP is a setting.
      CONTRACT_SIZES,
    }, options.logDir);
    apps.push(ingestor);
    await ingestor.waitReady();
    log(`ingestor ready on :${ingestor.port}, replaying ${options.files.length} files (log: ${ingestor.logFile})`);

    await waitForWindows(pool, expected.length, options, apps);
    const pipelineMs = Date.now() - started;
    const stored = await readStoredWindows(pool);
    const klines = (await readKlineFile(options.klines.file)).slice(0, options.klines.completeMinutes);
    const klineCheck = compareWithKlines(stored.filter((row) => row.symbol === options.klines.symbol), klines);
    for (const app of apps.reverse()) {
      const code = await app.stop();
      log(`${app.name} stopped (exit code ${code})`);
    }
    return { expected, stored, differences: compareWindows(stored, expected), klineCheck, pipelineMs };
  } catch (error) {
    await Promise.all(apps.map((app) => app.stop(5_000)));
    throw error;
  } finally {
    await pool.end();
  }
}

async function waitForWindows(pool: ReturnType<typeof createMysqlPool>, expected: number, options: DemoOptions, apps: AppProcess[]) {
  const deadline = Date.now() + options.timeoutMs;
  let last = -1;
  for (;;) {
    const count = await countStoredWindows(pool);
    if (count !== last) options.log(`windows in MySQL: ${count}/${expected}`);
    last = count;
    if (count >= expected) return;
    if (Date.now() > deadline) {
      const tails = await Promise.all(apps.map(async (app) => `--- ${app.name} ---\n${await app.logTail()}`));
      throw new Error(`only ${count} of ${expected} windows reached MySQL within ${options.timeoutMs} ms\n${tails.join('\n')}`);
    }
    await sleep(500);
  }
}

/** Empties the demo's database: drop, then create (the aggregator migrates it at start-up). */
async function recreateDatabase(settings: MysqlSettings): Promise<void> {
  await ensureDatabase(settings);
  const pool = createMysqlPool(settings, 1);
  try {
    await pool.query(`DROP DATABASE \`${settings.database}\``);
  } finally {
    await pool.end();
  }
  await ensureDatabase(settings);
}

/** Deletes and re-creates the demo's topics so that every run starts from an empty log. */
async function resetTopics(options: DemoOptions): Promise<void> {
  const kafka = new Kafka({ clientId: 'cryptostream-demo', brokers: options.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = [options.topic, options.deadLetterTopic];
    const existing = (await admin.listTopics()).filter((topic) => topics.includes(topic));
    if (existing.length > 0) await admin.deleteTopics({ topics: existing, timeout: 10_000 });
    for (let attempt = 0; ; attempt += 1) {
      try {
        await ensureTopics(admin, topics.map((topic) => ({ topic, numPartitions: 3 })));
        return;
      } catch (error) {
        // A just-deleted topic can still be "marked for deletion" for a moment.
        if (attempt >= 40) throw error;
        await sleep(250);
      }
    }
  } finally {
    await admin.disconnect();
  }
}
