import { KafkaConnection, KafkaSecurity, parseKafkaBrokers, parseTopicReplication, TopicReplication } from '@cryptostream/kafka-io';
import { DEFAULT_MYSQL_URL, MysqlSettings, parseMysqlUrl, parseMysqlUrlTls } from '@cryptostream/persistence';
import { ConfigError, CRYPTO_PRICES_TOPIC, CRYPTO_WINDOWS_TOPIC, DEAD_LETTER_TOPIC } from '@cryptostream/schema';
import { resolve } from 'node:path';
import { kafkaSecurity } from './kafka-security-settings';
import { SettingsReader } from './settings-reader';

/** The defaults every app and tool shares, written once. */
export const SHARED_DEFAULTS = Object.freeze({
  KAFKA_BROKERS: '127.0.0.1:9092',
  KAFKA_TOPIC: CRYPTO_PRICES_TOPIC,
  KAFKA_DLQ_TOPIC: DEAD_LETTER_TOPIC,
  KAFKA_WINDOWS_TOPIC: CRYPTO_WINDOWS_TOPIC,
  KAFKA_TOPIC_PARTITIONS: 3,
  MYSQL_URL: DEFAULT_MYSQL_URL,
  LOG_LEVEL: 'info',
  LAKE_DIR: '.local/lake',
});

/** The Kafka cluster and the pipeline's topics. */
export interface KafkaSettings extends KafkaConnection {
  readonly brokers: readonly string[];
  /** TLS and SASL (`KAFKA_SECURITY_PROTOCOL` and the settings it needs; see kafka-security-settings). */
  readonly security: KafkaSecurity;
  /** The price topic (`KAFKA_TOPIC`). */
  readonly topic: string;
  /** Where rejected messages go, with their reasons (`KAFKA_DLQ_TOPIC`); never the price topic. */
  readonly deadLetterTopic: string;
  /** Replication of the topics an app creates (unset: follows the cluster's size, see kafka-io). */
  readonly replication: TopicReplication;
}

/**
 * `KAFKA_BROKERS`, `KAFKA_TOPIC`, `KAFKA_DLQ_TOPIC`, `KAFKA_REPLICATION_FACTOR`,
 * `KAFKA_MIN_INSYNC_REPLICAS`, and the security settings ({@link kafkaSecurity}).
 */
export function kafkaSettings(settings: SettingsReader): KafkaSettings {
  const topic = settings.topic('KAFKA_TOPIC', SHARED_DEFAULTS.KAFKA_TOPIC);
  const deadLetterTopic = settings.topic('KAFKA_DLQ_TOPIC', SHARED_DEFAULTS.KAFKA_DLQ_TOPIC);
  if (topic === deadLetterTopic) throw new ConfigError('KAFKA_DLQ_TOPIC', `must differ from KAFKA_TOPIC (${topic})`);
  return {
    ...kafkaConnection(settings),
    topic,
    deadLetterTopic,
    replication: parseTopicReplication(settings.env),
  };
}

/**
 * `KAFKA_TOPIC_PARTITIONS`: the partitions of a pipeline topic created by whichever app finds it
 * missing first (a topic keeps the count it was created with), so every app reads this one setting.
 */
export function topicPartitions(settings: SettingsReader): number {
  return settings.integer('KAFKA_TOPIC_PARTITIONS', SHARED_DEFAULTS.KAFKA_TOPIC_PARTITIONS, 1, 10_000);
}

/** The topic of live window updates: the aggregator writes it, the API and the archiver read it. */
export interface WindowUpdatesTopic {
  /** `KAFKA_WINDOWS_TOPIC`. */
  readonly name: string;
  /** Its partitions when an app has to create it ({@link topicPartitions}). */
  readonly partitions: number;
}

/** `KAFKA_WINDOWS_TOPIC` and `KAFKA_TOPIC_PARTITIONS`: the update topic as writer and readers must agree on it. */
export function windowUpdatesTopic(settings: SettingsReader): WindowUpdatesTopic {
  return { name: settings.topic('KAFKA_WINDOWS_TOPIC', SHARED_DEFAULTS.KAFKA_WINDOWS_TOPIC), partitions: topicPartitions(settings) };
}

/** The brokers and how to reach them (`KAFKA_BROKERS` and the security settings), for tools that need no topics. */
export function kafkaConnection(settings: SettingsReader): KafkaConnection {
  return { brokers: settings.parse('KAFKA_BROKERS', SHARED_DEFAULTS.KAFKA_BROKERS, parseKafkaBrokers), security: kafkaSecurity(settings) };
}

/**
 * `MYSQL_URL` (`mysql://user:password@host:port/database`, `?ssl=true` or `?ssl-ca=/path/ca.pem`
 * for TLS), `MYSQL_SSL_CA_FILE` (TLS, the server verified against that CA) and the password as
 * `MYSQL_PASSWORD` or `MYSQL_PASSWORD_FILE` (a mounted Secret) instead of in the URL.
 */
export function mysqlSettings(settings: SettingsReader): MysqlSettings {
  const url = settings.parse('MYSQL_URL', SHARED_DEFAULTS.MYSQL_URL, parseMysqlUrl);
  const tls = settings.parse('MYSQL_URL', SHARED_DEFAULTS.MYSQL_URL, parseMysqlUrlTls);
  const password = settings.secret('MYSQL_PASSWORD');
  if (password && url.password) throw new ConfigError(password.setting, 'MYSQL_URL has a password already: give it in one place');
  if (settings.optional('MYSQL_SSL_CA_FILE') && tls.caFile) throw new ConfigError('MYSQL_SSL_CA_FILE', 'MYSQL_URL has ?ssl-ca= already: give the CA in one place');
  // ?ssl-ca= names a file as MYSQL_SSL_CA_FILE does; a refusal names MYSQL_URL then.
  const ca = tls.caFile ? new SettingsReader({ MYSQL_URL: tls.caFile }).pem('MYSQL_URL', 'CERTIFICATE') : settings.pem('MYSQL_SSL_CA_FILE', 'CERTIFICATE');
  const ssl = ca !== undefined || tls.required ? { ssl: { ...(ca ? { ca } : {}), rejectUnauthorized: true as const } } : {};
  return { ...url, ...(password ? { password: password.value } : {}), ...ssl };
}

/** `HTTP_PORT`: health, metrics (and the API); each app has its own default. */
export function httpPort(settings: SettingsReader, fallback: number): number {
  return settings.integer('HTTP_PORT', fallback, 0, 65_535);
}

/** `SHUTDOWN_DEADLINE_MS`: how long SIGTERM may take before the process exits anyway. */
export function shutdownDeadlineMs(settings: SettingsReader, fallback: number): number {
  return settings.integer('SHUTDOWN_DEADLINE_MS', fallback, 100, 600_000);
}

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `LOG_LEVEL`: the least severe level written. */
export function logLevel(settings: SettingsReader): LogLevel {
  return settings.oneOf('LOG_LEVEL', LOG_LEVELS, SHARED_DEFAULTS.LOG_LEVEL as LogLevel);
}

/** `LAKE_DIR`: the data lake's root directory (archiver, API, lake tools), made absolute. */
export function lakeDir(settings: SettingsReader): string {
  return resolve(settings.text('LAKE_DIR', SHARED_DEFAULTS.LAKE_DIR));
}

/** Where the apps register their schemas; absent: no registry, no schema id headers (the original). */
export interface SchemaRegistrySettings {
  /** `SCHEMA_REGISTRY_URL`: Apicurio Registry's base URL, e.g. `http://127.0.0.1:8081`. */
  readonly url: string | undefined;
  /** `SCHEMA_REGISTRY_GROUP`: the artifact group of every schema. */
  readonly group: string;
  /** `SCHEMA_REGISTRY_TIMEOUT_MS`: per request. */
  readonly timeoutMs: number;
}

/** `SCHEMA_REGISTRY_URL`, `SCHEMA_REGISTRY_GROUP`, `SCHEMA_REGISTRY_TIMEOUT_MS`. */
export function schemaRegistrySettings(settings: SettingsReader): SchemaRegistrySettings {
  const url = settings.optional('SCHEMA_REGISTRY_URL') === undefined ? undefined : settings.url('SCHEMA_REGISTRY_URL', '', ['http:', 'https:']);
  const group = settings.text('SCHEMA_REGISTRY_GROUP', 'cryptostream');
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(group)) throw new ConfigError('SCHEMA_REGISTRY_GROUP', `${JSON.stringify(group)} is not a group name (letters, digits, . _ -)`);
  return { url, group, timeoutMs: settings.integer('SCHEMA_REGISTRY_TIMEOUT_MS', 5_000, 100, 120_000) };
}
