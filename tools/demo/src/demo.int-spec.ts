import { plaintextConnection } from '@cryptostream/kafka-io';
import { createMysqlPool, parseMysqlUrl } from '@cryptostream/persistence';
import { ApicurioClient } from '@cryptostream/schema-registry';
import { ensureKafka, randomName, TEST_KAFKA_BROKERS, TEST_MYSQL_URL, TEST_SCHEMA_REGISTRY_URL } from '@cryptostream/testing';
import { join } from 'node:path';
import { replayLake } from './lake-replay';
import { DEMO_WINDOW_SIZES, runDemo } from './run-demo';

const ROOT = join(__dirname, '../../..');
const DATA = join(ROOT, 'data/binance');

describe('the demo pipeline (ingestor -> real Kafka -> aggregator -> real MySQL)', () => {
  const databases: string[] = [];
  beforeAll(() => ensureKafka());
  afterAll(async () => {
    const pool = createMysqlPool(parseMysqlUrl(TEST_MYSQL_URL));
    for (const database of databases) await pool.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await pool.end();
  });

  it('writes every window of every size, TRXUSDT 1m and 5m equal Binance klines digit for digit, the lake\'s candles equal MySQL\'s, every price record carries a schema id the registry knows', async () => {
    const database = randomName('cryptostream_e2e');
    const topic = randomName('e2e_prices');
    const schemaRegistry = new ApicurioClient({ url: TEST_SCHEMA_REGISTRY_URL, group: randomName('e2e'), timeoutMs: 20_000 });
    databases.push(database);
    const logDir = join(ROOT, '.local/e2e', database);
    const lakeDir = join(logDir, 'lake');
    const mysqlUrl = TEST_MYSQL_URL.replace(/\/[^/]*$/, `/${database}`);
    const result = await runDemo({
      files: [
        join(DATA, 'test_positive_binance_trade_stream_usd_m_futures_trxusdt_04-03-2025.csv'),
        join(DATA, 'test_positive_binance_trade_stream_coin_m_futures_trxusd_perp_04-03-2025.csv'),
      ],
      klines: { file: join(DATA, 'TRXUSDT-1m-2025-03__excerpt_2025-03-04T0000-0016.csv'), symbol: 'TRXUSDT', completeMinutes: 16 },
      kafka: plaintextConnection(TEST_KAFKA_BROKERS),
      mysqlUrl,
      topic,
      schemaRegistry,
      deadLetterTopic: randomName('e2e_dlq'),
      windowsTopic: randomName('e2e_windows'),
      lakeDir,
      groupId: randomName('e2e_group'),
      windowSizes: DEMO_WINDOW_SIZES,
      logDir,
      timeoutMs: 120_000,
      log: () => undefined,
    });
    expect(result.klineCheck).toEqual({
      compared: 19, differences: [], bySize: [{ size: '1m', compared: 16, equal: 16 }, { size: '5m', compared: 3, equal: 3 }],
    });
    expect([...new Set(result.stored.map((row) => row.windowSize))]).toEqual(DEMO_WINDOW_SIZES.split(','));
    expect(result.differences).toEqual([]);
    expect(result.stored.length).toBeGreaterThan(200);
    // The lake holds every record of the topic once, and candles computed from its trades equal MySQL's rows.
    expect(result.lakeCheck.trades).toBe(result.lakeCheck.topicRecords);
    expect(result.lakeCheck.bySymbol.map(({ symbol, interval, differences }) => `${symbol} ${interval}: ${differences}`).sort()).toEqual([
      'TRXUSDT 1m: 0', 'TRXUSDT 5m: 0', 'TRXUSD_PERP 1m: 0', 'TRXUSD_PERP 5m: 0',
    ].sort());
    expect(Math.min(...result.lakeCheck.bySymbol.map((check) => check.lake))).toBeGreaterThan(3);
    expect(result.lakeCheck.candles).toBeGreaterThan(200);
    // SCHEMA_REGISTRY_URL set: every record of the price topic carries the id of a schema the registry knows, of that topic.
    expect(result.schemaIds?.withoutId).toBe(0);
    expect(result.schemaIds?.records).toBe(result.lakeCheck.topicRecords);
    expect(result.schemaIds?.ids.length).toBeGreaterThan(0);
    for (const id of result.schemaIds?.ids ?? []) expect(id.artifact).toMatch(new RegExp(`^${schemaRegistry.group}/${topic}-(trade|source-progress) v\\d+$`));

    // Two replays of the recordings' range from the lake (INGESTOR_SOURCE=lake), each into fresh
    // topics and a fresh database, write the same rows, equal to the original ones.
    const days = result.stored.filter((row) => row.windowSize === '1d');
    const range = { fromMs: Math.min(...days.map((row) => row.startMs)), toMs: Math.max(...days.map((row) => row.endMs)) };
    // The two run at once: independent topics, groups and databases.
    const replays = await Promise.all(['a', 'b'].map((replay) => {
      const replayDatabase = randomName(`cryptostream_replay_${replay}`);
      databases.push(replayDatabase);
      return replayLake({
        kafka: plaintextConnection(TEST_KAFKA_BROKERS), lakeDir, manifestUrl: mysqlUrl, ...range,
        mysqlUrl: TEST_MYSQL_URL.replace(/\/[^/]*$/, `/${replayDatabase}`), topic: randomName('replay_prices'), deadLetterTopic: randomName('replay_dlq'),
        windowsTopic: randomName('replay_windows'), groupId: randomName('replay_group'), windowSizes: DEMO_WINDOW_SIZES,
        expectedWindows: result.stored.length, logDir: join(logDir, `replay-${replay}`), timeoutMs: 180_000, log: () => undefined,
      });
    }));
    expect(replays[0]).toEqual(result.stored);
    expect(replays[1]).toEqual(replays[0]);
  }, 360_000);
});
