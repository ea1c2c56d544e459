import { combineKlines, readKlineFile } from '@cryptostream/market-data';
import { createKafka, KafkaConnection } from '@cryptostream/kafka-io';
import { createMysqlPool, parseMysqlUrl } from '@cryptostream/persistence';
import { encodeSchemaId, SCHEMA_ID_HEADER } from '@cryptostream/schema';
import { ApicurioClient, registerSchemas } from '@cryptostream/schema-registry';
import { AppProcess, freePort } from '@cryptostream/app-launcher';
import { sleep } from '@cryptostream/service-runtime';
import { mkdir, rm } from 'node:fs/promises';
import { CONTRACT_SIZES, expectedWindows } from './expected-windows';
import { compareWindows, compareWithKlines, KlineCheck, StoredWindow } from './kline-check';
import { recreateDatabase, resetTopics } from './fresh-state';
import { checkLake, LakeCheck, waitForArchive } from './lake-check';
import { CLOCK_SYMBOL, countStoredWindows, readStoredWindows } from './stored-windows';
import { checkSchemaIds, SchemaIdsCheck } from './schema-ids-check';

export const PARTITIONS = 3;

/** Every size the demo's aggregator writes. */
export const DEMO_WINDOW_SIZES = '1m,5m,15m,1h,4h,1d';

export interface DemoOptions {
  /** Recorded Binance trades to replay. */
  readonly files: readonly string[];
  /** Binance's own klines for one of the recorded symbols, and that symbol. */
  readonly klines: { readonly file: string; readonly symbol: string; readonly completeMinutes: number };
  /** The demo's own client (topics, clocks); the apps take KAFKA_BROKERS from it and the rest of their settings from the environment. */
  readonly kafka: KafkaConnection;
  /** MYSQL_URL naming the demo's own database; it is emptied first. */
  readonly mysqlUrl: string;
  readonly topic: string;
  readonly deadLetterTopic: string;
  /** The aggregator's window updates, whose final candles the archiver keeps. */
  readonly windowsTopic: string;
  readonly groupId: string;
  /** The lake the archiver fills (emptied first; its manifest is in the demo's database). */
  readonly lakeDir: string;
  /** WINDOW_SIZES of the aggregator, e.g. `1m,5m,15m,1h,4h,1d`. */
  readonly windowSizes: string;
  readonly logDir: string;
  /** A schema registry the apps register their schemas with (SCHEMA_REGISTRY_URL), or none. */
  readonly schemaRegistry?: ApicurioClient;
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
  /** Settings of one app only (its own Kafka user on a secured broker, say), over the shared ones. */
  /** Called once topics and database are fresh, before the apps start (to start readers of the topics). */
  readonly beforeApps?: () => Promise<void>;
  readonly appEnv?: Readonly<Partial<Record<'ingestor' | 'aggregator' | 'archiver', Readonly<Record<string, string>>>>>;
}

export interface DemoResult {
  readonly expected: readonly StoredWindow[];
  readonly stored: readonly StoredWindow[];
  /** Where MySQL differs from the offline `aggregate` result; empty when equal. */
  readonly differences: readonly string[];
  readonly klineCheck: KlineCheck;
  readonly lakeCheck: LakeCheck;
  /** With a schema registry: the schema ids on the price topic's records. */
  readonly schemaIds?: SchemaIdsCheck;
  readonly pipelineMs: number;
}

/**
 * The walking skeleton end to end: empty the demo's topics, database and lake, start the
 * aggregator, the archiver and the ingestor (replaying the recordings), wait until every window of
 * the sample is in MySQL and every record in the lake, stop the apps, then read the lake back
 * through DuckDB and check its candles against MySQL's. Throws with the apps' log tails when a step fails.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { log } = options;
  await mkdir(options.logDir, { recursive: true });
  await resetTopics(options.kafka, [options.topic, options.deadLetterTopic, options.windowsTopic], PARTITIONS);
  await rm(options.lakeDir, { recursive: true, force: true });
  const settings = parseMysqlUrl(options.mysqlUrl);
  await recreateDatabase(settings);
  const pool = createMysqlPool(settings, 2);
  const apps: AppProcess[] = [];
  try {
    const expected = await expectedWindows(options.files, options.windowSizes);
    log(`expecting ${expected.length} windows of ${options.windowSizes} for ${new Set(expected.map((w) => w.symbol)).size} symbols`);

    const kafkaEnv = {
      KAFKA_BROKERS: options.kafka.brokers.join(','),
      KAFKA_TOPIC: options.topic,
      KAFKA_DLQ_TOPIC: options.deadLetterTopic,
      KAFKA_WINDOWS_TOPIC: options.windowsTopic,
      ...(options.schemaRegistry ? { SCHEMA_REGISTRY_URL: options.schemaRegistry.url, SCHEMA_REGISTRY_GROUP: options.schemaRegistry.group } : {}),
    };
    await options.beforeApps?.();
    // The demo writes clock records itself: with the trade schema's id, as the ingestor does.
    const clockHeaders = options.schemaRegistry ? await tradeSchemaHeaders(options.schemaRegistry, options.topic) : undefined;
    if (options.schemaRegistry) log(`schemas registered with ${options.schemaRegistry.url}; browse them at ${options.schemaRegistry.browseUrl}`);
    const started = Date.now();
    const aggregator = AppProcess.start('aggregator', await freePort(), {
      ...kafkaEnv, KAFKA_GROUP_ID: options.groupId, MYSQL_URL: options.mysqlUrl, WINDOW_SIZES: options.windowSizes, ...options.appEnv?.aggregator,
    }, options.logDir);
    apps.push(aggregator);
    await aggregator.waitReady();
    log(`aggregator ready on :${aggregator.port} (log: ${aggregator.logFile})`);
    const archiver = AppProcess.start('archiver', await freePort(), {
      ...kafkaEnv, KAFKA_GROUP_ID: `${options.groupId}-archiver`, MYSQL_URL: options.mysqlUrl, LAKE_DIR: options.lakeDir, LAKE_ROLL_MS: '1000',
      ...options.appEnv?.archiver,
    }, options.logDir);
    apps.push(archiver);
    await archiver.waitReady();
    log(`archiver ready on :${archiver.port}, writing ${options.lakeDir} (log: ${archiver.logFile})`);
    const ingestor = AppProcess.start('ingestor', await freePort(), {
      ...kafkaEnv, INGESTOR_SOURCE: 'replay', REPLAY_FILES: options.files.join(','), REPLAY_SPEED: '0',
      // Offline, the COIN-M contract size of the recorded TRXUSD_PERP is a setting.
      CONTRACT_SIZES, ...options.appEnv?.ingestor,
    }, options.logDir);
    apps.push(ingestor);
    await ingestor.waitReady();
    log(`ingestor ready on :${ingestor.port}, replaying ${options.files.length} files (log: ${ingestor.logFile})`);

    await waitForReplay(ingestor, options);
    await sendClocks(options, Math.max(...expected.map((w) => w.endMs)) + 2 * 86_400_000, clockHeaders);
    await waitForWindows(pool, expected.length, options, apps);
    const pipelineMs = Date.now() - started;
    const topicRecords = await waitForArchive(options.kafka, pool, options.topic, options.timeoutMs);
    log(`archiver: every record of ${options.topic} is in a committed lake file`);
    const stored = await readStoredWindows(pool);
    const minutes = (await readKlineFile(options.klines.file)).slice(0, options.klines.completeMinutes);
    const ofSymbol = (size: string) => stored.filter((row) => row.symbol === options.klines.symbol && row.windowSize === size);
    // 1m against Binance's 1m klines; 5m against them combined (first open, last close, max high, min low, sums).
    const checks = [compareWithKlines(ofSymbol('1m'), minutes, '1m')];
    if (options.windowSizes.split(',').includes('5m')) checks.push(compareWithKlines(ofSymbol('5m'), combineKlines(minutes, 300_000), '5m'));
    const klineCheck: KlineCheck = { compared: checks.reduce((n, c) => n + c.compared, 0), differences: checks.flatMap((c) => c.differences), bySize: checks.flatMap((c) => c.bySize) };
    for (const app of apps.reverse()) {
      const code = await app.stop();
      log(`${app.name} stopped (exit code ${code})`);
    }
    const lakeCheck = await checkLake(options.lakeDir, pool, stored, topicRecords, CLOCK_SYMBOL);
    const schemaIds = options.schemaRegistry ? await checkSchemaIds(options.kafka, options.topic, options.schemaRegistry) : undefined;
    return { expected, stored, differences: compareWindows(stored, expected), klineCheck, lakeCheck, pipelineMs, ...(schemaIds ? { schemaIds } : {}) };
  } catch (error) {
    await Promise.all(apps.map((app) => app.stop(5_000)));
    throw error;
  } finally {
    await pool.end();
  }
}

/** Waits until the ingestor has published every recorded trade. */
export async function waitForReplay(ingestor: AppProcess, options: Pick<DemoOptions, 'timeoutMs'>): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const health = (await (await fetch(`http://127.0.0.1:${ingestor.port}/health/ready`)).json().catch(() => ({}))) as { details?: { source?: { state?: string } } };
    if (health.details?.source?.state === 'finished') return;
    if (Date.now() > deadline) throw new Error(`the replay did not finish within ${options.timeoutMs} ms\n${await ingestor.logTail()}`);
    await sleep(250);
  }
}

/**
 * The recordings are minutes to hours of the past: as time would, a clock message per partition
 * two days later closes their windows of every size (a 1d window too). Its own windows stay
 * open, and the demo leaves its symbol out.
 */
export async function sendClocks(options: Pick<DemoOptions, 'kafka' | 'topic'>, atMs: number, headers?: Record<string, Buffer>): Promise<void> {
  const kafka = createKafka({ clientId: 'cryptostream-demo', connection: options.kafka });
  const producer = kafka.producer();
  await producer.connect();
  try {
    const messages = Array.from({ length: PARTITIONS }, (_, partition) => ({
      partition, key: CLOCK_SYMBOL, value: JSON.stringify({ symbol: CLOCK_SYMBOL, price: '1', quantity: '0', timestamp: atMs / 1000, eventTimeMs: atMs }),
      ...(headers ? { headers } : {}),
    }));
    await producer.send({ topic: options.topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}

/** The schema id header of trade records on `topic` (registering the schemas as the ingestor does). */
async function tradeSchemaHeaders(client: ApicurioClient, topic: string): Promise<Record<string, Buffer>> {
  const [trade] = await registerSchemas(client, [{ topic, kind: 'trade' }]);
  return { [SCHEMA_ID_HEADER]: encodeSchemaId(trade.currentId) };
}

export async function waitForWindows(pool: ReturnType<typeof createMysqlPool>, expected: number, options: Pick<DemoOptions, 'log' | 'timeoutMs'>, apps: AppProcess[]) {
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
