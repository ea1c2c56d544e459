import { encodeWindowUpdate, WindowUpdate } from '@cryptostream/schema';
import { AppProcess, createTestDatabase, createTestTopics, freePort, TEST_KAFKA_BROKERS, TestDatabase, testKafka } from '@cryptostream/testing';
import type { Producer } from 'kafkajs';
import { mkdirSync } from 'node:fs';

/**
 * The API as a process on a random database and window-update topic, with a producer to play
 * the aggregator's updates: what the REST, WebSocket and ccxt tests of the API stand on.
 */
export class ApiWithUpdates {
  private constructor(
    readonly db: TestDatabase,
    readonly api: AppProcess,
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly disposeTopics: () => Promise<void>,
  ) {}

  static async start(logDir: string, env: Readonly<Record<string, string>> = {}): Promise<ApiWithUpdates> {
    mkdirSync(logDir, { recursive: true });
    const db = await createTestDatabase();
    const { topics, dispose } = await createTestTopics(['windows']);
    const api = AppProcess.start('api', await freePort(), { MYSQL_URL: db.url, KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_WINDOWS_TOPIC: topics['windows'], ...env }, logDir);
    await api.waitReady(60_000);
    const producer = testKafka('api-with-updates').producer();
    await producer.connect();
    return new ApiWithUpdates(db, api, producer, topics['windows'], dispose);
  }

  get url(): string {
    return `http://127.0.0.1:${this.api.port}`;
  }

  /** Publishes updates as the aggregator does (keyed by symbol, acks from all replicas). */
  async send(...updates: WindowUpdate[]): Promise<void> {
    await this.producer.send({ topic: this.topic, acks: -1, messages: updates.map((u) => ({ key: u.symbol, value: encodeWindowUpdate(u) })) });
  }

  async stop(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
    await this.api.stop();
    await this.disposeTopics();
    await this.db.drop();
  }
}
