import { parseKafkaBrokers, parseTopicReplication, TopicReplication } from '@cryptostream/kafka-io';
import { MysqlSettings, parseMysqlUrl } from '@cryptostream/persistence';
import { ConfigError, CRYPTO_PRICES_TOPIC, CRYPTO_WINDOWS_TOPIC, DEAD_LETTER_TOPIC } from '@cryptostream/schema';
import { EMPTY_WINDOW_POLICIES, EmptyWindowPolicy, parseWindowSizes } from '@cryptostream/windowing';

/** Everything the aggregator can be told, validated once at start-up and frozen. */
export interface AggregatorConfig {
  readonly kafkaBrokers: readonly string[];
  readonly kafkaTopic: string;
  readonly kafkaDlqTopic: string;
  readonly kafkaGroupId: string;
  /** How long the group waits for a silent member (a killed one) before giving its partitions away. */
  readonly kafkaSessionTimeoutMs: number;
  /** Partitions given to the topics when the aggregator has to create them. */
  readonly kafkaTopicPartitions: number;
  /** Replication of the topics it creates (unset: follows the cluster's size, see kafka-io). */
  readonly kafkaReplication: TopicReplication;
  readonly mysql: MysqlSettings;
  /**
   * Every window size, smallest first (`WINDOW_SIZES=1m,5m,15m,1h,4h,1d`): the smallest is
   * computed from the trades, the others are rolled up from it.
   */
  readonly windowSizesMs: readonly number[];
  /** `skip` (the original: rows only for intervals with trades) or `carry` (Binance's empty klines). */
  readonly emptyWindows: EmptyWindowPolicy;
  readonly windowGraceMs: number;
  /**
   * How long after its end a written window still takes late trades, as a correction (revision
   * + 1); later trades go to the dead-letter topic as "too late". Event time.
   */
  readonly allowedLatenessMs: number;
  /**
   * How long a symbol's source progress holds its windows after the last progress record; past
   * it (ingestor gone) they close on the wall clock as for a symbol without source progress.
   */
  readonly sourceProgressTimeoutMs: number;
  /** How often the wall clock advances idle partitions so that quiet symbols still close. */
  readonly idleCloseIntervalMs: number;
  /** Whether window updates are published for readers (the API); off for a bare aggregator. */
  readonly windowUpdates: boolean;
  readonly windowUpdatesTopic: string;
  /** How often the open windows that changed are published: each at most once per interval. */
  readonly windowUpdateIntervalMs: number;
  readonly httpPort: number;
  /** Closed windows held in memory while MySQL does not answer before partitions are paused. */
  readonly maxPendingWindows: number;
  /** How long SIGTERM may take to write what has closed before the process exits anyway. */
  readonly shutdownDeadlineMs: number;
}

export const AGGREGATOR_CONFIG = Symbol('AGGREGATOR_CONFIG');

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the aggregator's settings from the environment (the only place that does) and checks
 * them; a wrong one stops start-up with a {@link ConfigError} naming it.
 */
export function loadAggregatorConfig(env: Env = process.env): AggregatorConfig {
  const text = (name: string, fallback: string): string => env[name]?.trim() || fallback;
  return Object.freeze({
    kafkaBrokers: Object.freeze(parseKafkaBrokers(text('KAFKA_BROKERS', '127.0.0.1:9092'))),
    kafkaTopic: topicName('KAFKA_TOPIC', text('KAFKA_TOPIC', CRYPTO_PRICES_TOPIC)),
    kafkaDlqTopic: topicName('KAFKA_DLQ_TOPIC', text('KAFKA_DLQ_TOPIC', DEAD_LETTER_TOPIC)),
    kafkaGroupId: text('KAFKA_GROUP_ID', 'cryptostream-aggregator'),
    kafkaSessionTimeoutMs: integer('KAFKA_SESSION_TIMEOUT_MS', text('KAFKA_SESSION_TIMEOUT_MS', '30000'), 6_000, 300_000),
    kafkaTopicPartitions: integer('KAFKA_TOPIC_PARTITIONS', text('KAFKA_TOPIC_PARTITIONS', '3'), 1, 1000),
    kafkaReplication: parseTopicReplication(env),
    mysql: parseMysqlUrl(text('MYSQL_URL', 'mysql://root@127.0.0.1:3306/cryptostream')),
    windowSizesMs: Object.freeze(windowSizes(env)),
    emptyWindows: emptyWindows(text('EMPTY_WINDOWS', 'skip')),
    windowGraceMs: integer('WINDOW_GRACE_MS', text('WINDOW_GRACE_MS', '2000'), 0, 3_600_000),
    allowedLatenessMs: integer('ALLOWED_LATENESS_MS', text('ALLOWED_LATENESS_MS', '600000'), 0, 7 * 86_400_000),
    sourceProgressTimeoutMs: integer('SOURCE_PROGRESS_TIMEOUT_MS', text('SOURCE_PROGRESS_TIMEOUT_MS', '60000'), 0, 86_400_000),
    idleCloseIntervalMs: integer('IDLE_CLOSE_INTERVAL_MS', text('IDLE_CLOSE_INTERVAL_MS', '1000'), 10, 3_600_000),
    windowUpdates: onOff('WINDOW_UPDATES', text('WINDOW_UPDATES', 'on')),
    windowUpdatesTopic: topicName('KAFKA_WINDOWS_TOPIC', text('KAFKA_WINDOWS_TOPIC', CRYPTO_WINDOWS_TOPIC)),
    windowUpdateIntervalMs: integer('WINDOW_UPDATE_INTERVAL_MS', text('WINDOW_UPDATE_INTERVAL_MS', '1000'), 50, 60_000),
    httpPort: integer('HTTP_PORT', text('HTTP_PORT', '3002'), 0, 65535),
    maxPendingWindows: integer('MAX_PENDING_WINDOWS', text('MAX_PENDING_WINDOWS', '100000'), 1, 100_000_000),
    shutdownDeadlineMs: integer('SHUTDOWN_DEADLINE_MS', text('SHUTDOWN_DEADLINE_MS', '10000'), 100, 600_000),
  });
}

/**
 * `WINDOW_SIZES`: Binance kline intervals up to 1d, the smallest dividing the others. Default
 * `1m`, the original single size (and the read API's default). The older `WINDOW_SIZE` (one
 * size, any whole number of seconds) still works alone.
 */
function windowSizes(env: Env): number[] {
  const sizes = env['WINDOW_SIZES']?.trim();
  const single = env['WINDOW_SIZE']?.trim();
  if (sizes && single) throw new ConfigError('WINDOW_SIZE', 'set WINDOW_SIZES or WINDOW_SIZE, not both (WINDOW_SIZE is the older single size)');
  if (single) return [windowSize('WINDOW_SIZE', single)];
  try {
    return parseWindowSizes(sizes || '1m').map((size) => size.ms);
  } catch (error) {
    throw new ConfigError('WINDOW_SIZES', (error as Error).message);
  }
}

function emptyWindows(value: string): EmptyWindowPolicy {
  if (!(EMPTY_WINDOW_POLICIES as readonly string[]).includes(value)) throw new ConfigError('EMPTY_WINDOWS', `must be skip or carry, got ${JSON.stringify(value)}`);
  return value as EmptyWindowPolicy;
}

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "30s", "1m", "5m", "1h" → milliseconds: a whole number of seconds from 1 s to 1 day. */
export function windowSize(setting: string, value: string): number {
  const match = DURATION.exec(value);
  if (!match) throw new ConfigError(setting, `${JSON.stringify(value)} is not a duration like 30s, 1m, 5m or 1h`);
  const ms = Number(match[1]) * UNIT_MS[match[2]];
  if (ms % 1000 !== 0 || ms < 1000 || ms > 86_400_000) {
    throw new ConfigError(setting, `must be a whole number of seconds from 1s to 1d, got ${value}`);
  }
  return ms;
}

function integer(setting: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) throw new ConfigError(setting, `must be a whole number, got ${JSON.stringify(value)}`);
  const number = Number(value);
  if (number < min || number > max) throw new ConfigError(setting, `must be from ${min} to ${max}, got ${number}`);
  return number;
}

function onOff(setting: string, value: string): boolean {
  if (value === 'on' || value === 'off') return value === 'on';
  throw new ConfigError(setting, `must be on or off, got ${JSON.stringify(value)}`);
}

function topicName(setting: string, value: string): string {
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(value)) {
    throw new ConfigError(setting, `${JSON.stringify(value)} is not a Kafka topic name (letters, digits, . _ -)`);
  }
  return value;
}
