import {
  appConfig, Env, httpPort, kafkaSettings, lakeDir, loadConfig, LogLevel, logLevel, mysqlSettings, SchemaRegistrySettings, schemaRegistrySettings, SettingsReader, shutdownDeadlineMs, windowSizes,
  windowUpdatesTopic, WindowUpdatesTopic,
} from '@cryptostream/config';
import type { KafkaConnection, TopicReplication } from '@cryptostream/kafka-io';
import type { MysqlSettings } from '@cryptostream/persistence';
import type { WindowSize } from '@cryptostream/windowing';
import { AccessSettings, accessSettings, HttpLimits, httpLimits } from './hardening.config';

/** A candle interval the API serves: its name (`1m`, as `moving_averages.window_size`) and length. */
export type Interval = WindowSize;

/** Everything the API can be told, validated once at start-up and frozen. */
export interface ApiConfig {
  readonly httpPort: number;
  readonly logLevel: LogLevel;
  /** The brokers and how to reach them (TLS, SASL). */
  readonly kafka: KafkaConnection;
  /** Replication of the update topic when the API creates it (unset: follows the cluster's size). */
  readonly kafkaReplication: TopicReplication;
  /** Where the aggregator publishes window updates (read by every API instance), and its partitions when the API creates it. */
  readonly windowUpdatesTopic: WindowUpdatesTopic;
  /** Where the schema ids of the window updates are looked up (`SCHEMA_REGISTRY_URL`; none: not checked). */
  readonly schemaRegistry: SchemaRegistrySettings;
  readonly mysql: MysqlSettings;
  /** The window sizes the aggregator writes, smallest first: the `interval`s the API accepts. */
  readonly intervals: readonly Interval[];
  /** Updates kept per symbol for `Last-Event-ID` resumes. */
  readonly replayUpdates: number;
  /** Where the dashboard's pipeline panel asks for readiness (and the aggregator for its lag). */
  readonly ingestorUrl: string;
  readonly aggregatorUrl: string;
  /** The bundled dashboard; found next to the build when unset. */
  readonly dashboardDir: string | undefined;
  readonly shutdownDeadlineMs: number;
  /** The data lake `GET /api/trades` reads (`LAKE_DIR`; its manifest is in MySQL). */
  readonly lakeDir: string;
  /** The longest range one `GET /api/trades` may ask for. */
  readonly tradesMaxRangeMs: number;
  /** Timeouts and size limits of the HTTP server. */
  readonly http: HttpLimits;
  /** Rate limits, stream caps, API keys, CORS. */
  readonly access: AccessSettings;
}

/**
 * The API's settings, read once at start-up from the environment (the only place that reads it);
 * a wrong one stops start-up with a ConfigError naming it.
 */
export function apiSchema(settings: SettingsReader): ApiConfig {
  const kafka = kafkaSettings(settings);
  return {
    httpPort: httpPort(settings, 3000),
    logLevel: logLevel(settings),
    kafka: { brokers: kafka.brokers, security: kafka.security },
    kafkaReplication: kafka.replication,
    windowUpdatesTopic: windowUpdatesTopic(settings),
    schemaRegistry: schemaRegistrySettings(settings),
    mysql: mysqlSettings(settings),
    // The sizes the aggregator writes, read by its own rule.
    intervals: windowSizes(settings),
    replayUpdates: settings.integer('SSE_REPLAY_UPDATES', 1000, 1, 1_000_000),
    ingestorUrl: settings.url('INGESTOR_URL', 'http://127.0.0.1:3001', ['http:', 'https:']),
    aggregatorUrl: settings.url('AGGREGATOR_URL', 'http://127.0.0.1:3002', ['http:', 'https:']),
    dashboardDir: settings.optional('DASHBOARD_DIR'),
    shutdownDeadlineMs: shutdownDeadlineMs(settings, 5000),
    lakeDir: lakeDir(settings),
    tradesMaxRangeMs: settings.integer('LAKE_TRADES_MAX_RANGE_MS', 31 * 86_400_000, 1, 366 * 86_400_000),
    http: httpLimits(settings),
    access: accessSettings(settings),
  };
}

/** The API's configuration namespace (`@nestjs/config`); inject with `@Inject(API_CONFIG)`. */
export const apiConfig = appConfig('api', apiSchema);
export const API_CONFIG = apiConfig.KEY;

/** Reads and checks the API's settings from `env` (tests pass their own). */
export function loadApiConfig(env: Env = process.env): ApiConfig {
  return loadConfig(apiSchema, env);
}
