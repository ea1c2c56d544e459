import {
  appConfig, Env, httpPort, kafkaSettings, lakeDir, loadConfig, logLevel, mysqlSettings, schemaRegistrySettings, SettingsReader, shutdownDeadlineMs, topicPartitions,
} from '@cryptostream/config';
import { parseContractSizes } from '@cryptostream/market-data';
import { ConfigError } from '@cryptostream/schema';
import { BINANCE_STREAMS, IngestorConfig, SOURCE_KINDS } from './ingestor-config';

export type { Env } from '@cryptostream/config';

const SYMBOL = /^[A-Z0-9][A-Z0-9_-]{1,31}$/;

/**
 * The ingestor's settings, read once at start-up from the environment (the only place that
 * reads it); a bad setting throws a {@link ConfigError} naming it.
 */
export function ingestorSchema(settings: SettingsReader): IngestorConfig {
  const source = settings.oneOf('INGESTOR_SOURCE', SOURCE_KINDS, 'ws');
  const symbols = settings.list('SYMBOLS').map((symbol) => symbol.toUpperCase());
  for (const symbol of symbols) {
    if (!SYMBOL.test(symbol)) throw new ConfigError('SYMBOLS', `${JSON.stringify(symbol)} is not a Binance symbol like BTCUSDT`);
  }
  if (source !== 'replay' && source !== 'lake' && symbols.length === 0) {
    throw new ConfigError('SYMBOLS', `must list at least one symbol (like BTCUSDT,ETHUSDT) for INGESTOR_SOURCE=${source}`);
  }
  const files = settings.list('REPLAY_FILES');
  if (source === 'replay' && files.length === 0) {
    throw new ConfigError('REPLAY_FILES', 'must list at least one recorded trade file for INGESTOR_SOURCE=replay');
  }
  const kafka = kafkaSettings(settings);
  const recordFile = settings.optional('RECORD_FILE');
  return {
    kafka: {
      ...kafka,
      clientId: settings.text('KAFKA_CLIENT_ID', 'cryptostream-ingestor'),
      topicPartitions: topicPartitions(settings),
      batchSize: settings.integer('KAFKA_BATCH_SIZE', 500, 1, 100_000),
      lingerMs: settings.integer('KAFKA_LINGER_MS', 20, 0, 60_000),
    },
    source,
    symbols: [...new Set(symbols)],
    binance: {
      restUrl: settings.url('BINANCE_REST_URL', 'https://api.binance.com', ['http:', 'https:']),
      coinMarginedRestUrl: settings.url('BINANCE_DAPI_URL', 'https://dapi.binance.com', ['http:', 'https:']),
      contractSizes: settings.parse('CONTRACT_SIZES', '', parseContractSizes),
      wsUrl: settings.url('BINANCE_WS_URL', 'wss://stream.binance.com:9443', ['ws:', 'wss:']),
      stream: settings.oneOf('BINANCE_STREAM', BINANCE_STREAMS, 'aggTrade'),
      streamsPerConnection: settings.integer('BINANCE_STREAMS_PER_CONNECTION', 1024, 1, 1024),
      maxConnectionAgeMs: settings.integer('BINANCE_MAX_CONNECTION_AGE_MS', 23 * 3600_000, 1000, 24 * 3600_000),
      silenceTimeoutMs: settings.integer('BINANCE_SILENCE_TIMEOUT_MS', 60_000, 100),
      reconnectBaseMs: settings.integer('BINANCE_RECONNECT_BASE_MS', 500, 1),
      reconnectMaxMs: settings.integer('BINANCE_RECONNECT_MAX_MS', 30_000, 1),
      pollIntervalMs: settings.integer('BINANCE_POLL_INTERVAL_MS', 1000, 10),
      weightLimit: settings.integer('BINANCE_WEIGHT_LIMIT', 6000, 1),
      weightWindowMs: settings.integer('BINANCE_WEIGHT_WINDOW_MS', 60_000, 100),
      requestTimeoutMs: settings.integer('BINANCE_REQUEST_TIMEOUT_MS', 10_000, 100),
      resume: settings.flag('INGESTOR_RESUME', true),
    },
    replay: { files, speed: settings.number('REPLAY_SPEED', 0, 0, '0 (as fast as possible) or a positive number') },
    sourceProgress: {
      intervalMs: settings.integer('SOURCE_PROGRESS_INTERVAL_MS', 250, 0, 60_000),
      lagMs: settings.integer('SOURCE_PROGRESS_LAG_MS', 1_000, 0, 600_000),
    },
    schemaRegistry: schemaRegistrySettings(settings),
    httpPort: httpPort(settings, 3001),
    logLevel: logLevel(settings),
    // Long enough to flush the producer's queue; Kubernetes' default grace period is 30 s.
    shutdownDeadlineMs: shutdownDeadlineMs(settings, 10_000),
    ...(recordFile === undefined ? {} : { recordFile }),
    ...(source === 'lake' ? { lake: lakeSettings(settings) } : {}),
  };
}

/** `LAKE_FROM` and `LAKE_TO` (epoch ms or ISO-8601, both required), `LAKE_DIR`, `MYSQL_URL` (the manifest). */
function lakeSettings(settings: SettingsReader): NonNullable<IngestorConfig['lake']> {
  const time = (name: string) => {
    const text = settings.optional(name);
    if (text === undefined) throw new ConfigError(name, 'required for INGESTOR_SOURCE=lake: epoch milliseconds or an ISO-8601 time like 2025-03-04T00:00:00Z');
    const ms = /^\d+$/.test(text) ? Number(text) : /^\d{4}-\d\d-\d\d/.test(text) ? Date.parse(text) : Number.NaN;
    if (!Number.isSafeInteger(ms)) throw new ConfigError(name, `must be epoch milliseconds or an ISO-8601 time, got ${JSON.stringify(text)}`);
    return ms;
  };
  const fromMs = time('LAKE_FROM');
  const toMs = time('LAKE_TO');
  if (toMs <= fromMs) throw new ConfigError('LAKE_TO', `must be after LAKE_FROM`);
  return { dir: lakeDir(settings), mysql: mysqlSettings(settings), fromMs, toMs };
}

/** The ingestor's configuration namespace (`@nestjs/config`), from `env` when tests give one. */
export const ingestorConfig = (env?: Env) => appConfig('ingestor', ingestorSchema, env);

/** Reads and checks the ingestor's settings from `env` (tests pass their own). */
export function loadIngestorConfig(env: Env = process.env): IngestorConfig {
  return loadConfig(ingestorSchema, env);
}
