import { parseKafkaBrokers, parseTopicReplication, TopicReplication } from '@cryptostream/kafka-io';
import { MysqlSettings, parseMysqlUrl } from '@cryptostream/persistence';
import { ConfigError, CRYPTO_WINDOWS_TOPIC } from '@cryptostream/schema';
import { parseWindowSizes, WindowSize } from '@cryptostream/windowing';

/** A candle interval the API serves: its name (`1m`, as `moving_averages.window_size`) and length. */
export type Interval = WindowSize;

/** Everything the API can be told, validated once at start-up and frozen. */
export interface ApiConfig {
  readonly httpPort: number;
  readonly kafkaBrokers: readonly string[];
  /** Replication of the update topic when the API creates it (unset: follows the cluster's size). */
  readonly kafkaReplication: TopicReplication;
  /** Where the aggregator publishes window updates (read by every API instance). */
  readonly windowsTopic: string;
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
}

export const API_CONFIG = Symbol('API_CONFIG');

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the API's settings from the environment (the only place that does) and checks them; a
 * wrong one stops start-up with a {@link ConfigError} naming it.
 */
export function loadApiConfig(env: Env = process.env): ApiConfig {
  const text = (name: string, fallback: string): string => env[name]?.trim() || fallback;
  return Object.freeze({
    httpPort: integer('HTTP_PORT', text('HTTP_PORT', '3000'), 0, 65535),
    kafkaBrokers: Object.freeze(parseKafkaBrokers(text('KAFKA_BROKERS', '127.0.0.1:9092'))),
    kafkaReplication: parseTopicReplication(env),
    windowsTopic: topicName('KAFKA_WINDOWS_TOPIC', text('KAFKA_WINDOWS_TOPIC', CRYPTO_WINDOWS_TOPIC)),
    mysql: parseMysqlUrl(text('MYSQL_URL', 'mysql://root@127.0.0.1:3306/cryptostream')),
    intervals: Object.freeze(parseIntervals('WINDOW_SIZES', text('WINDOW_SIZES', '1m'))),
    replayUpdates: integer('SSE_REPLAY_UPDATES', text('SSE_REPLAY_UPDATES', '1000'), 1, 1_000_000),
    ingestorUrl: httpUrl('INGESTOR_URL', text('INGESTOR_URL', 'http://127.0.0.1:3001')),
    aggregatorUrl: httpUrl('AGGREGATOR_URL', text('AGGREGATOR_URL', 'http://127.0.0.1:3002')),
    dashboardDir: env['DASHBOARD_DIR']?.trim() || undefined,
    shutdownDeadlineMs: integer('SHUTDOWN_DEADLINE_MS', text('SHUTDOWN_DEADLINE_MS', '5000'), 100, 600_000),
  });
}

/** The aggregator's WINDOW_SIZES: Binance kline intervals, smallest first. */
function parseIntervals(setting: string, value: string): Interval[] {
  try {
    return parseWindowSizes(value);
  } catch (error) {
    throw new ConfigError(setting, (error as Error).message);
  }
}

function integer(setting: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) throw new ConfigError(setting, `must be a whole number, got ${JSON.stringify(value)}`);
  const number = Number(value);
  if (number < min || number > max) throw new ConfigError(setting, `must be from ${min} to ${max}, got ${number}`);
  return number;
}

function topicName(setting: string, value: string): string {
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(value)) {
    throw new ConfigError(setting, `${JSON.stringify(value)} is not a Kafka topic name (letters, digits, . _ -)`);
  }
  return value;
}

function httpUrl(setting: string, value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol)) throw new ConfigError(setting, `must be an http:// or https:// URL, got ${JSON.stringify(value)}`);
  return value.replace(/\/+$/, '');
}
