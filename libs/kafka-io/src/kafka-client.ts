import { Kafka, logLevel as kafkajsLogLevel, RetryOptions } from 'kafkajs';
import { installHeaderDecoder } from './kafkajs-header-decoder';
import { installLongDecoder } from './kafkajs-long-decoder';
import { installRequestQueueSchedule } from './kafkajs-request-queue';
import { kafkaLogging } from './kafka-logging';
import { explainKafkaError } from './kafka-security-error';
import { KafkaConnection, kafkajsSecurity } from './kafka-security';

export interface KafkaClientOptions {
  readonly clientId: string;
  readonly connection: KafkaConnection;
  /** The app's `LOG_LEVEL`: kafkajs logs through the app's logger from it up; unset, kafkajs says nothing (tools, tests). */
  readonly logLevel?: string;
  readonly retry?: RetryOptions;
  readonly connectionTimeout?: number;
  readonly requestTimeout?: number;
}

/** The admin calls the apps and tools make, whose refusals are worth naming. */
const ADMIN_CALLS = ['connect', 'listTopics', 'createTopics', 'deleteTopics', 'describeCluster', 'fetchTopicOffsets', 'fetchOffsets', 'createAcls'] as const;

/** Rethrows what `method` rejects with as the security error it amounts to, when it is one. */
function explaining<T extends object>(target: T, methods: readonly (keyof T)[], connection: KafkaConnection): T {
  for (const name of methods) {
    const method = target[name] as unknown as (...args: unknown[]) => Promise<unknown>;
    (target as Record<keyof T, unknown>)[name] = (...args: unknown[]) =>
      method.apply(target, args).catch((error: unknown) => {
        throw explainKafkaError(error, connection);
      });
  }
  return target;
}

/**
 * The one way cryptostream makes a kafkajs client: every app, tool, benchmark and test helper
 * calls it, so that the brokers, TLS, SASL and logging are set the same way everywhere.
 *
 * The producers, consumers and admins it makes reject `connect()` (and a producer's `send`)
 * with a {@link KafkaSecurityError} naming the setting when the brokers refuse the credentials,
 * the certificate is not trusted or an ACL is missing — errors that no retry can fix.
 * Their consumers read fetched records' headers with {@link installHeaderDecoder}'s decoder, and
 * their timestamps and offsets with {@link installLongDecoder}'s; their request queues schedule
 * their checks without Node's TimeoutNegativeWarning ({@link installRequestQueueSchedule}).
 */
export function createKafka(options: KafkaClientOptions): Kafka {
  installHeaderDecoder();
  installLongDecoder();
  installRequestQueueSchedule();
  const { clientId, connection, logLevel, retry, connectionTimeout, requestTimeout } = options;
  const kafka = new Kafka({
    clientId,
    brokers: [...connection.brokers],
    ...kafkajsSecurity(connection.security),
    ...(logLevel === undefined ? { logLevel: kafkajsLogLevel.NOTHING } : kafkaLogging(logLevel)),
    ...(retry ? { retry } : {}),
    ...(connectionTimeout ? { connectionTimeout } : {}),
    ...(requestTimeout ? { requestTimeout } : {}),
  });
  const producer = kafka.producer.bind(kafka);
  const consumer = kafka.consumer.bind(kafka);
  const admin = kafka.admin.bind(kafka);
  kafka.producer = (config) => explaining(producer(config), ['connect', 'send', 'sendBatch'], connection);
  kafka.consumer = (config) => explaining(consumer(config), ['connect'] as const, connection);
  kafka.admin = (config) => explaining(admin(config), ADMIN_CALLS, connection);
  return kafka;
}
