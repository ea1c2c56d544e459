import { ConfigError, CRYPTO_PRICES_TOPIC, DEAD_LETTER_TOPIC } from '@cryptostream/schema';
import { parseKafkaBrokers, parseTopicReplication } from '@cryptostream/kafka-io';
import { parseContractSizes } from '@cryptostream/market-data';
import { BINANCE_STREAMS, BinanceStream, IngestorConfig, SOURCE_KINDS, SourceKind } from './ingestor-config';

export type Env = Readonly<Record<string, string | undefined>>;

const SYMBOL = /^[A-Z0-9][A-Z0-9_-]{1,31}$/;

/**
 * Reads and validates the ingestor's settings. This is the only place that reads the
 * environment; a bad setting throws a {@link ConfigError} naming it.
 */
export function loadIngestorConfig(env: Env = process.env): IngestorConfig {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const int = (name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const text = read(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new ConfigError(name, `must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const text = read(name) ?? fallback;
    if (!(allowed as readonly string[]).includes(text)) {
      throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(text)}`);
    }
    return text as T;
  };
  const url = (name: string, fallback: string, protocols: readonly string[]): string => {
    const text = read(name) ?? fallback;
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      throw new ConfigError(name, `is not a URL: ${JSON.stringify(text)}`);
    }
    if (!protocols.includes(parsed.protocol)) {
      throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}, got ${JSON.stringify(text)}`);
    }
    return text.replace(/\/+$/, '');
  };
  const flag = (name: string, fallback: boolean): boolean => {
    const text = read(name)?.toLowerCase();
    if (text === undefined) return fallback;
    if (['true', '1', 'yes'].includes(text)) return true;
    if (['false', '0', 'no'].includes(text)) return false;
    throw new ConfigError(name, `must be true or false, got ${JSON.stringify(text)}`);
  };
  const list = (name: string): string[] => (read(name) ?? '').split(',').map((item) => item.trim()).filter(Boolean);

  const source = oneOf<SourceKind>('INGESTOR_SOURCE', SOURCE_KINDS, 'ws');
  const symbols = list('SYMBOLS').map((symbol) => symbol.toUpperCase());
  for (const symbol of symbols) {
    if (!SYMBOL.test(symbol)) throw new ConfigError('SYMBOLS', `${JSON.stringify(symbol)} is not a Binance symbol like BTCUSDT`);
  }
  if (source !== 'replay' && symbols.length === 0) {
    throw new ConfigError('SYMBOLS', `must list at least one symbol (like BTCUSDT,ETHUSDT) for INGESTOR_SOURCE=${source}`);
  }
  const files = list('REPLAY_FILES');
  if (source === 'replay' && files.length === 0) {
    throw new ConfigError('REPLAY_FILES', 'must list at least one recorded trade file for INGESTOR_SOURCE=replay');
  }
  const speedText = read('REPLAY_SPEED') ?? '0';
  const speed = Number(speedText);
  if (!Number.isFinite(speed) || speed < 0) throw new ConfigError('REPLAY_SPEED', `must be 0 (as fast as possible) or a positive number, got ${JSON.stringify(speedText)}`);

  let contractSizes: Map<string, string>;
  try {
    contractSizes = parseContractSizes(read('CONTRACT_SIZES') ?? '');
  } catch (error) {
    throw new ConfigError('CONTRACT_SIZES', (error as Error).message);
  }

  const topic = read('KAFKA_TOPIC') ?? CRYPTO_PRICES_TOPIC;
  const deadLetterTopic = read('KAFKA_DLQ_TOPIC') ?? DEAD_LETTER_TOPIC;
  if (topic === deadLetterTopic) throw new ConfigError('KAFKA_DLQ_TOPIC', `must differ from KAFKA_TOPIC (${topic})`);

  const config: IngestorConfig = {
    kafka: {
      brokers: parseKafkaBrokers(read('KAFKA_BROKERS') ?? '127.0.0.1:9092'),
      clientId: read('KAFKA_CLIENT_ID') ?? 'cryptostream-ingestor',
      topic,
      deadLetterTopic,
      topicPartitions: int('KAFKA_TOPIC_PARTITIONS', 3, 1, 10_000),
      replication: parseTopicReplication(env),
      batchSize: int('KAFKA_BATCH_SIZE', 500, 1, 100_000),
      lingerMs: int('KAFKA_LINGER_MS', 20, 0, 60_000),
    },
    source,
    symbols: [...new Set(symbols)],
    binance: {
      restUrl: url('BINANCE_REST_URL', 'https://api.binance.com', ['http:', 'https:']),
      coinMarginedRestUrl: url('BINANCE_DAPI_URL', 'https://dapi.binance.com', ['http:', 'https:']),
      contractSizes,
      wsUrl: url('BINANCE_WS_URL', 'wss://stream.binance.com:9443', ['ws:', 'wss:']),
      stream: oneOf<BinanceStream>('BINANCE_STREAM', BINANCE_STREAMS, 'aggTrade'),
      streamsPerConnection: int('BINANCE_STREAMS_PER_CONNECTION', 1024, 1, 1024),
      maxConnectionAgeMs: int('BINANCE_MAX_CONNECTION_AGE_MS', 23 * 3600_000, 1000, 24 * 3600_000),
      silenceTimeoutMs: int('BINANCE_SILENCE_TIMEOUT_MS', 60_000, 100),
      reconnectBaseMs: int('BINANCE_RECONNECT_BASE_MS', 500, 1),
      reconnectMaxMs: int('BINANCE_RECONNECT_MAX_MS', 30_000, 1),
      pollIntervalMs: int('BINANCE_POLL_INTERVAL_MS', 1000, 10),
      weightLimit: int('BINANCE_WEIGHT_LIMIT', 6000, 1),
      weightWindowMs: int('BINANCE_WEIGHT_WINDOW_MS', 60_000, 100),
      requestTimeoutMs: int('BINANCE_REQUEST_TIMEOUT_MS', 10_000, 100),
      resume: flag('INGESTOR_RESUME', true),
    },
    replay: { files, speed },
    sourceProgress: {
      intervalMs: int('SOURCE_PROGRESS_INTERVAL_MS', 250, 0, 60_000),
      lagMs: int('SOURCE_PROGRESS_LAG_MS', 1_000, 0, 600_000),
    },
    httpPort: int('HTTP_PORT', 3001, 0, 65_535),
    ...(read('RECORD_FILE') === undefined ? {} : { recordFile: read('RECORD_FILE') }),
  };
  return deepFreeze(config);
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) deepFreeze(child);
  }
  return Object.freeze(value);
}
