import {
  appConfig, Env, httpPort, kafkaSettings, lakeDir, loadConfig, LogLevel, logLevel, mysqlSettings, SchemaRegistrySettings, schemaRegistrySettings, SettingsReader, shutdownDeadlineMs,
  topicPartitions, windowUpdatesTopic,
} from '@cryptostream/config';
import { FAULT_POINTS, type FaultPoint } from '@cryptostream/lake';
import type { KafkaConnection, TopicReplication } from '@cryptostream/kafka-io';
import type { MysqlSettings } from '@cryptostream/persistence';

/** Everything the archiver can be told, validated once at start-up and frozen. */
export interface ArchiverConfig {
  /** The brokers and how to reach them (TLS, SASL). */
  readonly kafka: KafkaConnection;
  /** The trades (`KAFKA_TOPIC`). */
  readonly pricesTopic: string;
  /** The dead letters (`KAFKA_DLQ_TOPIC`), archived flagged; too-late trades among them. */
  readonly deadLetterTopic: string;
  /** The window updates (`KAFKA_WINDOWS_TOPIC`): the closed ones are the final candles. */
  readonly windowUpdatesTopic: string;
  readonly archiveCandles: boolean;
  /** Where the schema ids of trades and window updates are looked up (`SCHEMA_REGISTRY_URL`; none: not checked). */
  readonly schemaRegistry: SchemaRegistrySettings;
  readonly archiveDeadLetters: boolean;
  readonly kafkaGroupId: string;
  /** Partitions given to the topics when the archiver has to create them (it starts before the others). */
  readonly kafkaTopicPartitions: number;
  readonly kafkaReplication: TopicReplication;
  readonly kafkaSessionTimeoutMs: number;
  /** Most bytes one fetch brings of a partition (held decoded until the batch is buffered). */
  readonly kafkaFetchBytesPerPartition: number;
  readonly mysql: MysqlSettings;
  /** Whether it applies the migrations (`MYSQL_MIGRATE`, on), or only checks that they are applied (off: its user needs no DDL right). */
  readonly mysqlMigrate: boolean;
  /** The lake's root directory (`LAKE_DIR`), absolute. */
  readonly lakeDir: string;
  /** A partition's buffered rows are written once they reach this many… */
  readonly rollRows: number;
  /** …or once the oldest of them has waited this long. */
  readonly rollMs: number;
  /** How long files a compaction replaced stay on disk for readers still reading them. */
  readonly retiredGraceMs: number;
  /** DuckDB's memory limit for writing files. */
  readonly duckdbMemoryLimit: string;
  /** Fault tests only: kill the process at this point of the `faultAfterCommits`-th write. */
  readonly faultPoint: FaultPoint | undefined;
  readonly faultAfterCommits: number;
  readonly httpPort: number;
  readonly logLevel: LogLevel;
  readonly shutdownDeadlineMs: number;
}

/**
 * The archiver's settings, read once at start-up from the environment (the only place that reads
 * it); a wrong one stops start-up with a ConfigError naming it.
 */
export function archiverSchema(settings: SettingsReader): ArchiverConfig {
  const kafka = kafkaSettings(settings);
  const faultPoint = settings.optional('ARCHIVER_FAULT_POINT');
  return {
    kafka: { brokers: kafka.brokers, security: kafka.security },
    pricesTopic: kafka.topic,
    deadLetterTopic: kafka.deadLetterTopic,
    windowUpdatesTopic: windowUpdatesTopic(settings).name,
    archiveCandles: settings.flag('LAKE_ARCHIVE_CANDLES', true),
    archiveDeadLetters: settings.flag('LAKE_ARCHIVE_DEAD_LETTERS', true),
    schemaRegistry: schemaRegistrySettings(settings),
    kafkaGroupId: settings.text('KAFKA_GROUP_ID', 'cryptostream-archiver'),
    kafkaTopicPartitions: topicPartitions(settings),
    kafkaReplication: kafka.replication,
    kafkaSessionTimeoutMs: settings.integer('KAFKA_SESSION_TIMEOUT_MS', 30_000, 6_000, 300_000),
    kafkaFetchBytesPerPartition: settings.integer('KAFKA_FETCH_BYTES_PER_PARTITION', 1024 * 1024, 64 * 1024, 256 * 1024 * 1024),
    mysql: mysqlSettings(settings),
    mysqlMigrate: settings.flag('MYSQL_MIGRATE', true),
    lakeDir: lakeDir(settings),
    rollRows: settings.integer('LAKE_ROLL_ROWS', 100_000, 1, 10_000_000),
    rollMs: settings.integer('LAKE_ROLL_MS', 60_000, 100, 86_400_000),
    retiredGraceMs: settings.integer('LAKE_RETIRED_GRACE_MS', 600_000, 0, 7 * 86_400_000),
    duckdbMemoryLimit: settings.text('LAKE_DUCKDB_MEMORY_LIMIT', '256MB'),
    faultPoint: faultPoint === undefined ? undefined : settings.oneOf('ARCHIVER_FAULT_POINT', FAULT_POINTS, FAULT_POINTS[0]),
    faultAfterCommits: settings.integer('ARCHIVER_FAULT_AFTER_COMMITS', 1, 1, 1_000_000),
    httpPort: httpPort(settings, 3003),
    logLevel: logLevel(settings),
    shutdownDeadlineMs: shutdownDeadlineMs(settings, 10_000),
  };
}

/** The archiver's configuration namespace (`@nestjs/config`); inject with `@Inject(ARCHIVER_CONFIG)`. */
export const archiverConfig = appConfig('archiver', archiverSchema);
export const ARCHIVER_CONFIG = archiverConfig.KEY;

/** Reads and checks the archiver's settings from `env` (tests pass their own). */
export function loadArchiverConfig(env: Env = process.env): ArchiverConfig {
  return loadConfig(archiverSchema, env);
}
