import { ensureTopics, plaintextConnection } from '@cryptostream/kafka-io';
import { createMysqlPool, ensureDatabase, parseMysqlUrl } from '@cryptostream/persistence';
import { ensureKafka, randomName, RECORDINGS, sleep, TEST_KAFKA_BROKERS, TEST_MYSQL_URL, testKafka } from '@cryptostream/testing';
import type { Kafka } from 'kafkajs';
import { CONTRACT_SIZES } from '../expected-windows';
import { StoredWindow } from '../kline-check';
import { checkLake, waitForArchive } from '../lake-check';
import { CLOCK_SYMBOL, countStoredWindows, readStoredWindows } from '../stored-windows';


/**
 * What a deployment test runs the pipeline against: this machine's Kafka (fresh topics) and
 * MySQL (a fresh database), the recorded trades, and the settings each app gets.
 */
export class PipelineFixture {
  readonly files = [
    RECORDINGS.TRXUSDT,
    RECORDINGS.TRXUSD_PERP,
  ];
  readonly windowSizes = '1m';
  readonly brokers = TEST_KAFKA_BROKERS.join(',');
  readonly topic: string;
  readonly deadLetterTopic: string;
  /** The archiver's window-update topic: one of its own, so that it archives no other run's candles. */
  readonly windowsTopic: string;
  readonly groupId: string;
  readonly mysqlUrl: string;
  readonly #database: string;
  #pool?: ReturnType<typeof createMysqlPool>;

  constructor(name: string) {
    this.topic = randomName(`deploy_${name}_prices`);
    this.deadLetterTopic = `${this.topic}.dlq`;
    this.windowsTopic = `${this.topic}.windows`;
    this.groupId = randomName(`deploy_${name}_group`);
    this.#database = randomName(`cryptostream_deploy_${name}`);
    const url = new URL(TEST_MYSQL_URL);
    url.pathname = `/${this.#database}`;
    this.mysqlUrl = url.toString();
  }

  get pool(): ReturnType<typeof createMysqlPool> {
    if (!this.#pool) throw new Error('PipelineFixture: setUp() first');
    return this.#pool;
  }

  async setUp(): Promise<void> {
    ensureKafka();
    await this.#withAdmin((admin) => ensureTopics(admin, [{ topic: this.topic, numPartitions: 3 }, { topic: this.deadLetterTopic, numPartitions: 3 }]));
    const settings = parseMysqlUrl(this.mysqlUrl);
    await ensureDatabase(settings);
    this.#pool = createMysqlPool(settings, 2);
  }

  async tearDown(): Promise<void> {
    await this.#withAdmin((admin) => admin.deleteTopics({ topics: [this.topic, this.deadLetterTopic, this.windowsTopic] })).catch(() => undefined);
    if (this.#pool) {
      await this.#pool.query(`DROP DATABASE IF EXISTS \`${this.#database}\``);
      await this.#pool.end();
    }
  }

  kafkaEnv(): Record<string, string> {
    return { KAFKA_BROKERS: this.brokers, KAFKA_TOPIC: this.topic, KAFKA_DLQ_TOPIC: this.deadLetterTopic };
  }

  aggregatorEnv(): Record<string, string> {
    return { ...this.kafkaEnv(), KAFKA_GROUP_ID: this.groupId, MYSQL_URL: this.mysqlUrl, WINDOW_SIZES: this.windowSizes };
  }

  /** The ingestor replaying `files` (paths as the ingestor sees them), by default as fast as it can. */
  ingestorEnv(files: readonly string[], speed = '0'): Record<string, string> {
    return {
      ...this.kafkaEnv(), INGESTOR_SOURCE: 'replay', REPLAY_FILES: files.join(','), REPLAY_SPEED: speed,
      // Offline, the contract size of the recorded COIN-M TRXUSD_PERP is a setting.
      CONTRACT_SIZES,
    };
  }

  /** The archiver writing the lake at `lakeDir` (the path it sees), its manifest in the run's database. */
  archiverEnv(lakeDir: string): Record<string, string> {
    return {
      ...this.kafkaEnv(), KAFKA_GROUP_ID: `${this.groupId}-archiver`, KAFKA_WINDOWS_TOPIC: this.windowsTopic, MYSQL_URL: this.mysqlUrl,
      LAKE_DIR: lakeDir, LAKE_ROLL_MS: '1000',
    };
  }

  apiEnv(aggregatorPort: number, ingestorPort: number): Record<string, string> {
    return {
      KAFKA_BROKERS: this.brokers, KAFKA_TOPIC: this.topic, MYSQL_URL: this.mysqlUrl,
      INGESTOR_URL: `http://127.0.0.1:${ingestorPort}`, AGGREGATOR_URL: `http://127.0.0.1:${aggregatorPort}`,
    };
  }

  /** Waits until MySQL holds `count` windows, then reads them; fails with `diagnose()`'s text. */
  async waitForWindows(count: number, timeoutMs: number, diagnose: () => Promise<string>): Promise<StoredWindow[]> {
    const deadline = Date.now() + timeoutMs;
    let seen = 0;
    while ((seen = await countStoredWindows(this.pool)) < count) {
      if (Date.now() > deadline) throw new Error(`${seen} of ${count} windows in MySQL after ${timeoutMs} ms\n${await diagnose()}`);
      await sleep(1_000);
    }
    // A moment more, so that a window written twice or late would show.
    await sleep(2_000);
    return readStoredWindows(this.pool);
  }

  /**
   * Waits until the archiver's committed progress covers the price topic, then checks its lake at
   * `lakeDir` against the windows: every trade they counted, once, and the candles DuckDB computes
   * from them equal to MySQL's. Throws what differs; returns the report line.
   */
  async checkArchive(lakeDir: string, stored: readonly StoredWindow[]): Promise<string> {
    const topicRecords = await waitForArchive(plaintextConnection(TEST_KAFKA_BROKERS), this.pool, this.topic, 120_000);
    const lake = await checkLake(lakeDir, this.pool, stored, topicRecords, CLOCK_SYMBOL);
    const trades = stored.filter((row) => row.windowSize === '1m').reduce((sum, row) => sum + row.tradeCount, 0);
    const report = `lake trades=${lake.trades} of ${topicRecords} records, windows' trades=${trades}; ${lake.bySymbol.map((s) => `${s.symbol} ${s.interval} differences=${s.differences}`).join(', ')}`;
    if (lake.trades !== trades || lake.bySymbol.length === 0 || lake.bySymbol.some((s) => s.differences > 0)) throw new Error(`the lake does not match the windows: ${report}`);
    return report;
  }

  async #withAdmin<T>(use: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
    const admin = testKafka('deploy-test').admin();
    await admin.connect();
    try {
      return await use(admin);
    } finally {
      await admin.disconnect();
    }
  }
}
