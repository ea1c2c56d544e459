import { ConfigError } from '@cryptostream/schema';
import type { KafkaConnection } from './kafka-security';

/** TLS verification failures of Node's `tls`: the broker's certificate is not the one trusted. */
const CERTIFICATE_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_SIGNATURE_FAILURE',
]);

const AUTHORIZATION_TYPES = new Set([
  'TOPIC_AUTHORIZATION_FAILED', 'GROUP_AUTHORIZATION_FAILED', 'CLUSTER_AUTHORIZATION_FAILED', 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'DELEGATION_TOKEN_AUTHORIZATION_FAILED',
]);

/**
 * The brokers refused this client's credentials or its rights, or the client refused the
 * brokers' certificate: trying again cannot help until a setting (or an ACL) changes. A
 * {@link ConfigError}: the message starts with the setting to look at, never its value.
 */
export class KafkaSecurityError extends ConfigError {
  constructor(setting: string, problem: string, cause: unknown) {
    super(setting, problem);
    this.cause = cause;
  }
}

/** The error and the errors it wraps (kafkajs nests them in `cause`, `originalError` or `errors`). */
function chain(error: unknown): Record<string, unknown>[] {
  const errors: Record<string, unknown>[] = [];
  for (let current = error; current && typeof current === 'object' && errors.length < 8; ) {
    const record = current as Record<string, unknown>;
    errors.push(record);
    // An aggregate (a topic creation refused per topic) carries its errors in `errors`.
    if (Array.isArray(record['errors'])) errors.push(...(record['errors'] as unknown[]).filter((e): e is Record<string, unknown> => !!e && typeof e === 'object'));
    const next = record['cause'] ?? record['originalError'];
    current = next === current ? undefined : next;
  }
  return errors;
}

/**
 * The {@link KafkaSecurityError} that `error` amounts to on `connection` — an authentication
 * refused (`KAFKA_SASL_PASSWORD: authentication failed for user "aggregator" (SCRAM-SHA-512)`),
 * a broker certificate not trusted, a missing ACL — or undefined for any other error (a broker
 * that is down, a timeout), which stays the caller's to retry.
 */
export function kafkaSecurityError(error: unknown, connection: KafkaConnection): KafkaSecurityError | undefined {
  if (error instanceof KafkaSecurityError) return error;
  const errors = chain(error);
  const { security, brokers } = connection;
  const where = brokers.join(',');
  if (errors.some((e) => e['name'] === 'KafkaJSSASLAuthenticationError' || /\bSASL\b.*\b(authentication failed|Invalid username or password)/i.test(String(e['message'])))) {
    const sasl = security.sasl;
    const setting = sasl?.passwordSetting ?? 'KAFKA_SASL_PASSWORD';
    const user = sasl ? ` for user ${JSON.stringify(sasl.username)} (${sasl.mechanism})` : '';
    return new KafkaSecurityError(setting, `authentication failed${user} at ${where}; check KAFKA_SASL_USERNAME and the password`, error);
  }
  const certificate = errors.find((e) => CERTIFICATE_CODES.has(String(e['code'])) || /self[- ]signed certificate|unable to verify the first certificate|Hostname\/IP does not match/i.test(String(e['message'])));
  if (certificate) {
    return new KafkaSecurityError('KAFKA_SSL_CA_FILE', `the certificate of ${where} is not trusted (${String(certificate['message'])}); set the CA that signed it`, error);
  }
  const refused = errors.find((e) => AUTHORIZATION_TYPES.has(String(e['type'])));
  if (refused) {
    const [setting, user] = security.sasl ? ['KAFKA_SASL_USERNAME', `user ${JSON.stringify(security.sasl.username)}`] : ['KAFKA_SECURITY_PROTOCOL', 'this client'];
    return new KafkaSecurityError(setting, `${user} is not authorized at ${where}: ${String(refused['type'])} (${String(refused['message'])}); the broker's ACLs must grant it`, error);
  }
  return undefined;
}

/** `error`, or the {@link KafkaSecurityError} it amounts to on `connection`. */
export function explainKafkaError(error: unknown, connection: KafkaConnection): unknown {
  return kafkaSecurityError(error, connection) ?? error;
}
