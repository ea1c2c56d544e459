import {
  appConfig, Env, httpPort, kafkaSettings, loadConfig, LogLevel, logLevel, mysqlSettings, SchemaRegistrySettings, schemaRegistrySettings, SettingsReader, shutdownDeadlineMs, topicPartitions, windowSizes,
  windowUpdatesTopic, WindowUpdatesTopic,
} from '@cryptostream/config';
import type { KafkaConnection, TopicReplication } from '@cryptostream/kafka-io';
import type { MysqlSettings } from '@cryptostream/persistence';
import { EMPTY_WINDOW_POLICIES, EmptyWindowPolicy } from '@cryptostream/windowing';

/** Everything the aggregator can be told, validated once at start-up and frozen. */
export interface AggregatorConfig {
  /** The brokers and how to reach them (TLS, SASL). */
  readonly kafka: KafkaConnection;
  readonly kafkaTopic: string;
  readonly kafkaDlqTopic: string;
  readonly kafkaGroupId: string;
  /** How long the group waits for a silent member (a killed one) before giving its partitions away. */
  readonly kafkaSessionTimeoutMs: number;
  /** Partitions given to the topics when the aggregator has to create them. */
  readonly kafkaTopicPartitions: number;
  /**
   * Most bytes one fetch brings of a partition: every record fetched is held, decoded, until its
   * batch is done, so this bounds that part of the memory (× partitions assigned).
   */
  readonly kafkaFetchBytesPerPartition: number;
  /** Replication of the topics it creates (unset: follows the cluster's size, see kafka-io). */
  readonly kafkaReplication: TopicReplication;
  readonly mysql: MysqlSettings;
  /**
   * Whether the aggregator creates its database and applies pending migrations at start-up
   * (`MYSQL_MIGRATE`, on), or only checks that they are applied (off: its user needs no DDL right).
   */
  readonly mysqlMigrate: boolean;
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
  /** Where they go, and its partitions when the aggregator creates it. */
  readonly windowUpdatesTopic: WindowUpdatesTopic;
  /** How often the open windows that changed are published: each at most once per interval. */
  readonly windowUpdateIntervalMs: number;
  readonly httpPort: number;
  readonly logLevel: LogLevel;
  /** Where its schemas are registered and the ids of consumed records looked up (`SCHEMA_REGISTRY_URL`; none: no headers, no checks). */
  readonly schemaRegistry: SchemaRegistrySettings;
  /** Closed windows held in memory while MySQL does not answer before partitions are paused. */
  readonly maxPendingWindows: number;
  /** How long SIGTERM may take to write what has closed before the process exits anyway. */
  readonly shutdownDeadlineMs: number;
}

/**
 * The aggregator's settings, read once at start-up from the environment (the only place that
 * reads it); a wrong one stops start-up with a ConfigError naming it.
 */
export function aggregatorSchema(settings: SettingsReader): AggregatorConfig {
  const kafka = kafkaSettings(settings);
  return {
    kafka: { brokers: kafka.brokers, security: kafka.security },
    kafkaTopic: kafka.topic,
    kafkaDlqTopic: kafka.deadLetterTopic,
    kafkaGroupId: settings.text('KAFKA_GROUP_ID', 'cryptostream-aggregator'),
    kafkaSessionTimeoutMs: settings.integer('KAFKA_SESSION_TIMEOUT_MS', 30_000, 6_000, 300_000),
    kafkaTopicPartitions: topicPartitions(settings),
    kafkaFetchBytesPerPartition: settings.integer('KAFKA_FETCH_BYTES_PER_PARTITION', 1024 * 1024, 64 * 1024, 256 * 1024 * 1024),
    kafkaReplication: kafka.replication,
    mysql: mysqlSettings(settings),
    mysqlMigrate: settings.flag('MYSQL_MIGRATE', true),
    windowSizesMs: windowSizes(settings).map((size) => size.ms),
    emptyWindows: settings.oneOf('EMPTY_WINDOWS', EMPTY_WINDOW_POLICIES, 'skip'),
    windowGraceMs: settings.integer('WINDOW_GRACE_MS', 2000, 0, 3_600_000),
    allowedLatenessMs: settings.integer('ALLOWED_LATENESS_MS', 600_000, 0, 7 * 86_400_000),
    sourceProgressTimeoutMs: settings.integer('SOURCE_PROGRESS_TIMEOUT_MS', 60_000, 0, 86_400_000),
    idleCloseIntervalMs: settings.integer('IDLE_CLOSE_INTERVAL_MS', 1000, 10, 3_600_000),
    windowUpdates: settings.flag('WINDOW_UPDATES', true),
    windowUpdatesTopic: windowUpdatesTopic(settings),
    windowUpdateIntervalMs: settings.integer('WINDOW_UPDATE_INTERVAL_MS', 1000, 50, 60_000),
    httpPort: httpPort(settings, 3002),
    logLevel: logLevel(settings),
    schemaRegistry: schemaRegistrySettings(settings),
    maxPendingWindows: settings.integer('MAX_PENDING_WINDOWS', 20_000, 1, 100_000_000),
    shutdownDeadlineMs: shutdownDeadlineMs(settings, 10_000),
  };
}

/** The aggregator's configuration namespace (`@nestjs/config`); inject with `@Inject(AGGREGATOR_CONFIG)`. */
export const aggregatorConfig = appConfig('aggregator', aggregatorSchema);
export const AGGREGATOR_CONFIG = aggregatorConfig.KEY;

/** Reads and checks the aggregator's settings from `env` (tests pass their own). */
export function loadAggregatorConfig(env: Env = process.env): AggregatorConfig {
  return loadConfig(aggregatorSchema, env);
}

