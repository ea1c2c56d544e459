import { ConfigError } from '@cryptostream/schema';
import { loadIngestorConfig } from './ingestor-config.loader';

describe('loadIngestorConfig', () => {
  it('applies the defaults and freezes the result', () => {
    const config = loadIngestorConfig({ SYMBOLS: 'btcusdt, ETHUSDT' });
    expect(config.kafka).toMatchObject({ brokers: ['127.0.0.1:9092'], topic: 'crypto_prices', deadLetterTopic: 'crypto_prices.dlq', topicPartitions: 3 });
    expect(config).toMatchObject({ source: 'ws', symbols: ['BTCUSDT', 'ETHUSDT'], httpPort: 3001 });
    expect(config.binance).toMatchObject({ restUrl: 'https://api.binance.com', wsUrl: 'wss://stream.binance.com:9443', stream: 'aggTrade' });
    expect(config.recordFile).toBeUndefined();
    expect(Object.isFrozen(config) && Object.isFrozen(config.binance) && Object.isFrozen(config.symbols)).toBe(true);
  });

  it('leaves topic replication to the cluster size unless set, and reads it when set', () => {
    expect(loadIngestorConfig({ SYMBOLS: 'BTCUSDT' }).kafka.replication).toEqual({});
    expect(loadIngestorConfig({ SYMBOLS: 'BTCUSDT', KAFKA_REPLICATION_FACTOR: '3', KAFKA_MIN_INSYNC_REPLICAS: '2' }).kafka.replication)
      .toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
    expect(() => loadIngestorConfig({ SYMBOLS: 'BTCUSDT', KAFKA_REPLICATION_FACTOR: '0' })).toThrow(/KAFKA_REPLICATION_FACTOR/);
  });

  it('reads COIN-M contract sizes and the COIN-M REST URL', () => {
    expect(loadIngestorConfig({ SYMBOLS: 'BTCUSDT' }).binance).toMatchObject({ coinMarginedRestUrl: 'https://dapi.binance.com', contractSizes: new Map() });
    const config = loadIngestorConfig({ SYMBOLS: 'TRXUSD_PERP', CONTRACT_SIZES: 'TRXUSD_PERP:10, BTCUSD_250627:100', BINANCE_DAPI_URL: 'http://127.0.0.1:9443/' });
    expect(config.binance).toMatchObject({ coinMarginedRestUrl: 'http://127.0.0.1:9443', contractSizes: new Map([['TRXUSD_PERP', '10'], ['BTCUSD_250627', '100']]) });
  });

  it('reads a replay configuration', () => {
    const config = loadIngestorConfig({ INGESTOR_SOURCE: 'replay', REPLAY_FILES: 'a.csv, b.csv.gz', REPLAY_SPEED: '2.5' });
    expect(config.replay).toEqual({ files: ['a.csv', 'b.csv.gz'], speed: 2.5 });
  });

  it.each([
    [{ INGESTOR_SOURCE: 'kafka', SYMBOLS: 'BTCUSDT' }, 'INGESTOR_SOURCE', /one of ws, rest, replay/],
    [{ INGESTOR_SOURCE: 'ws' }, 'SYMBOLS', /at least one symbol/],
    [{ SYMBOLS: 'BTC USDT' }, 'SYMBOLS', /not a Binance symbol/],
    [{ INGESTOR_SOURCE: 'replay' }, 'REPLAY_FILES', /at least one/],
    [{ INGESTOR_SOURCE: 'replay', REPLAY_FILES: 'a.csv', REPLAY_SPEED: '-1' }, 'REPLAY_SPEED', /positive/],
    [{ SYMBOLS: 'BTCUSDT', KAFKA_BROKERS: 'localhost' }, 'KAFKA_BROKERS', /host:port/],
    [{ SYMBOLS: 'BTCUSDT', KAFKA_TOPIC_PARTITIONS: '0' }, 'KAFKA_TOPIC_PARTITIONS', /from 1 to 10000/],
    [{ SYMBOLS: 'BTCUSDT', KAFKA_BATCH_SIZE: '1e3' }, 'KAFKA_BATCH_SIZE', /whole number/],
    [{ SYMBOLS: 'BTCUSDT', KAFKA_TOPIC: 'bad topic' }, 'KAFKA_TOPIC', /not a Kafka topic name/],
    [{ SYMBOLS: 'BTCUSDT', BINANCE_WS_URL: 'https://x' }, 'BINANCE_WS_URL', /ws:\/\/ or wss:\/\//],
    [{ SYMBOLS: 'BTCUSDT', BINANCE_STREAM: 'depth' }, 'BINANCE_STREAM', /trade, aggTrade/],
    [{ SYMBOLS: 'BTCUSDT', HTTP_PORT: '70000' }, 'HTTP_PORT', /to 65535/],
    [{ SYMBOLS: 'BTCUSDT', INGESTOR_RESUME: 'maybe' }, 'INGESTOR_RESUME', /on or off/],
    [{ SYMBOLS: 'BTCUSDT', KAFKA_DLQ_TOPIC: 'crypto_prices' }, 'KAFKA_DLQ_TOPIC', /differ/],
    [{ SYMBOLS: 'BTCUSDT', CONTRACT_SIZES: 'TRXUSDT:10' }, 'CONTRACT_SIZES', /COIN-M symbol, like TRXUSD_PERP:10/],
    [{ SYMBOLS: 'BTCUSDT', CONTRACT_SIZES: 'TRXUSD_PERP:0' }, 'CONTRACT_SIZES', /SYMBOL:SIZE/],
    [{ SYMBOLS: 'BTCUSDT', BINANCE_DAPI_URL: 'dapi' }, 'BINANCE_DAPI_URL', /not a URL/],
  ])('rejects %j naming %s', (env, setting, problem) => {
    let thrown: unknown;
    try {
      loadIngestorConfig(env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).setting).toBe(setting);
    expect((thrown as ConfigError).message).toMatch(problem);
  });

  it('reads the lake source: a range of epoch ms or ISO-8601 times, symbols optional', () => {
    const config = loadIngestorConfig({ INGESTOR_SOURCE: 'lake', LAKE_FROM: '2025-03-04T00:00:00Z', LAKE_TO: '1741132800000', LAKE_DIR: '/lake' });
    expect(config.lake).toMatchObject({ dir: '/lake', fromMs: Date.UTC(2025, 2, 4), toMs: Date.UTC(2025, 2, 5) });
    expect(config.symbols).toEqual([]);
    expect(() => loadIngestorConfig({ INGESTOR_SOURCE: 'lake', LAKE_TO: '1' })).toThrow('LAKE_FROM: required for INGESTOR_SOURCE=lake');
    expect(() => loadIngestorConfig({ INGESTOR_SOURCE: 'lake', LAKE_FROM: '5', LAKE_TO: '5' })).toThrow('LAKE_TO: must be after LAKE_FROM');
  });
});
