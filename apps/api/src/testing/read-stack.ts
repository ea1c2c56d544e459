import { FakeBinance, startFakeBinance } from '@cryptostream/binance-fake';
import { AppProcess, createTestDatabase, createTestTopics, freePort, randomName, RECORDINGS, TEST_KAFKA_BROKERS, TestDatabase } from '@cryptostream/testing';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../../..');
export const TRXUSDT_RECORDING = RECORDINGS.TRXUSDT;

export interface ReadStackOptions {
  /** Market time runs at this multiple of real time: 12 closes a 1-minute window every 5 s. */
  readonly speed: number;
  readonly logDir: string;
  /** More settings for the API (API keys, limits). */
  readonly apiEnv?: Readonly<Record<string, string>>;
}

/**
 * The whole pipeline for a test, on random topics and a random database: the fake Binance
 * (recorded TRXUSDT trades, moved to now), the ingestor reading its WebSocket streams, the
 * aggregator publishing window updates, and the API serving the freshly bundled dashboard.
 */
export class ReadStack {
  private constructor(
    readonly fake: FakeBinance,
    readonly db: TestDatabase,
    readonly apps: readonly AppProcess[],
    readonly apiUrl: string,
    private readonly disposeTopics: () => Promise<void>,
    private readonly dashboardDir: string,
  ) {}

  static async start({ speed, logDir, apiEnv = {} }: ReadStackOptions): Promise<ReadStack> {
    const dashboardDir = mkdtempSync(join(tmpdir(), 'cryptostream-dashboard-'));
    execFileSync(process.execPath, [join(ROOT, 'apps/api/dashboard/bundle.mjs'), '--no-check'], { env: { ...process.env, DASHBOARD_OUT: dashboardDir }, stdio: 'ignore' });
    const { topics, dispose } = await createTestTopics(['prices', 'dlq', 'windows']);
    const db = await createTestDatabase();
    const fake = await startFakeBinance({ recordings: [{ file: TRXUSDT_RECORDING }], speed, timeline: 'now', port: 0 });
    const [ingestorPort, aggregatorPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const groupId = randomName('read_aggregator');
    const kafka = { KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_TOPIC: topics['prices'], KAFKA_DLQ_TOPIC: topics['dlq'], KAFKA_WINDOWS_TOPIC: topics['windows'] };
    const apps = [
      AppProcess.start('aggregator', aggregatorPort, {
        ...kafka, KAFKA_GROUP_ID: groupId, MYSQL_URL: db.url, WINDOW_SIZES: '1m', WINDOW_GRACE_MS: '500', IDLE_CLOSE_INTERVAL_MS: '200', WINDOW_UPDATE_INTERVAL_MS: '250',
      }, logDir),
      AppProcess.start('ingestor', ingestorPort, {
        ...kafka, INGESTOR_SOURCE: 'ws', SYMBOLS: 'TRXUSDT', BINANCE_REST_URL: fake.restUrl, BINANCE_WS_URL: fake.wsUrl,
      }, logDir),
      AppProcess.start('api', apiPort, {
        ...kafka, ...apiEnv, MYSQL_URL: db.url, DASHBOARD_DIR: dashboardDir,
        INGESTOR_URL: `http://127.0.0.1:${ingestorPort}`, AGGREGATOR_URL: `http://127.0.0.1:${aggregatorPort}`,
      }, logDir),
    ];
    const stack = new ReadStack(fake, db, apps, `http://127.0.0.1:${apiPort}`, dispose, dashboardDir);
    try {
      await Promise.all(apps.map((app) => app.waitReady(90_000)));
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  async stop(): Promise<void> {
    await Promise.all(this.apps.map((app) => app.stop()));
    await this.fake.close();
    await this.db.drop();
    await this.disposeTopics();
    rmSync(this.dashboardDir, { recursive: true, force: true });
  }

  async logTails(): Promise<string> {
    return (await Promise.all(this.apps.map(async (app) => `--- ${app.name} ---\n${await app.logTail(15)}`))).join('\n');
  }
}
