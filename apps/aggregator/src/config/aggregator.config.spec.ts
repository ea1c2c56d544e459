import { ConfigError } from '@cryptostream/schema';
import { loadAggregatorConfig } from './aggregator.config';

describe('loadAggregatorConfig', () => {
  it('fills in the defaults and freezes the result', () => {
    const config = loadAggregatorConfig({});
    expect(config).toMatchObject({
      kafka: { brokers: ['127.0.0.1:9092'], security: { protocol: 'PLAINTEXT' } }, kafkaTopic: 'crypto_prices', kafkaDlqTopic: 'crypto_prices.dlq',
      kafkaGroupId: 'cryptostream-aggregator', windowSizesMs: [60_000], emptyWindows: 'skip', windowGraceMs: 2_000, httpPort: 3002,
      maxPendingWindows: 20_000, kafkaFetchBytesPerPartition: 1_048_576,
      mysql: { host: '127.0.0.1', port: 3306, user: 'root', database: 'cryptostream' },
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.kafka.brokers)).toBe(true);
  });

  it('reads every setting', () => {
    const config = loadAggregatorConfig({
      KAFKA_BROKERS: 'a:1,b:2', KAFKA_TOPIC: 't', KAFKA_DLQ_TOPIC: 't.dlq', KAFKA_GROUP_ID: 'g',
      MYSQL_URL: 'mysql://u:p@db:3307/x', WINDOW_SIZE: '30s', WINDOW_GRACE_MS: '0', IDLE_CLOSE_INTERVAL_MS: '250', HTTP_PORT: '8080',
    });
    expect(config).toMatchObject({
      kafka: { brokers: ['a:1', 'b:2'] }, kafkaTopic: 't', kafkaDlqTopic: 't.dlq', kafkaGroupId: 'g',
      mysql: { host: 'db', port: 3307, user: 'u', password: 'p', database: 'x' },
      windowSizesMs: [30_000], windowGraceMs: 0, idleCloseIntervalMs: 250, httpPort: 8080,
    });
  });

  it('reads several window sizes and the empty-window policy', () => {
    expect(loadAggregatorConfig({ WINDOW_SIZES: '1d,1m,5m,15m,1h,4h', EMPTY_WINDOWS: 'carry' })).toMatchObject({
      windowSizesMs: [60_000, 300_000, 900_000, 3_600_000, 14_400_000, 86_400_000], emptyWindows: 'carry',
    });
    expect(() => loadAggregatorConfig({ WINDOW_SIZES: '1m', WINDOW_SIZE: '1m' })).toThrow(/^WINDOW_SIZE: set WINDOW_SIZES or WINDOW_SIZE, not both/);
  });

  it('leaves topic replication to the cluster size unless set, and reads it when set', () => {
    expect(loadAggregatorConfig({}).kafkaReplication).toEqual({});
    expect(loadAggregatorConfig({ KAFKA_REPLICATION_FACTOR: '3', KAFKA_MIN_INSYNC_REPLICAS: '2' }).kafkaReplication)
      .toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
    expect(() => loadAggregatorConfig({ KAFKA_REPLICATION_FACTOR: '2', KAFKA_MIN_INSYNC_REPLICAS: '3' })).toThrow(/KAFKA_MIN_INSYNC_REPLICAS/);
  });

  it.each([
    ['KAFKA_BROKERS', 'localhost'],
    ['KAFKA_TOPIC', 'has space'],
    ['MYSQL_URL', 'postgres://x/y'],
    ['WINDOW_SIZE', '90 seconds'],
    ['WINDOW_SIZE', '1500ms'],
    ['WINDOW_SIZES', '1m,7m'],
    ['WINDOW_SIZES', '3m,5m'],
    ['WINDOW_SIZES', '1w'],
    ['EMPTY_WINDOWS', 'fill'],
    ['WINDOW_GRACE_MS', '-5'],
    ['IDLE_CLOSE_INTERVAL_MS', '0'],
    ['WINDOW_UPDATES', 'maybe'],
    ['WINDOW_UPDATE_INTERVAL_MS', '10'],
    ['KAFKA_WINDOWS_TOPIC', 'a b'],
    ['HTTP_PORT', '70000'],
    ['KAFKA_FETCH_BYTES_PER_PARTITION', '1000'],
    ['MAX_PENDING_WINDOWS', '0'],
    ['HTTP_PORT', '1e3'],
    ['KAFKA_DLQ_TOPIC', 'crypto_prices'],
    ['LOG_LEVEL', 'loud'],
  ])('stops with a ConfigError naming %s when it is %p', (setting, value) => {
    let error: unknown;
    try {
      loadAggregatorConfig({ [setting]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).setting).toBe(setting);
    expect((error as Error).message).toMatch(new RegExp(`^${setting}: `));
  });
});
