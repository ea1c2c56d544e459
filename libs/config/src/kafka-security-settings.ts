import { KAFKA_SASL_MECHANISMS, KAFKA_SECURITY_PROTOCOLS, KafkaSaslMechanism, KafkaSecurity, KafkaTls, usesSasl, usesTls } from '@cryptostream/kafka-io';
import { ConfigError } from '@cryptostream/schema';
import { SettingsReader } from './settings-reader';

const TLS_SETTINGS = ['KAFKA_SSL_CA_FILE', 'KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE'] as const;
const SASL_SETTINGS = ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SASL_PASSWORD_FILE'] as const;

function tls(settings: SettingsReader): KafkaTls {
  const ca = settings.pem('KAFKA_SSL_CA_FILE', 'CERTIFICATE');
  const cert = settings.pem('KAFKA_SSL_CERT_FILE', 'CERTIFICATE');
  const key = settings.pem('KAFKA_SSL_KEY_FILE', 'PRIVATE KEY');
  if (cert !== undefined && key === undefined) throw new ConfigError('KAFKA_SSL_KEY_FILE', 'must be set with KAFKA_SSL_CERT_FILE (mutual TLS needs the key of the certificate)');
  if (key !== undefined && cert === undefined) throw new ConfigError('KAFKA_SSL_CERT_FILE', 'must be set with KAFKA_SSL_KEY_FILE (mutual TLS needs the certificate of the key)');
  return { ...(ca ? { ca } : {}), ...(cert ? { cert, key } : {}) };
}

/**
 * `KAFKA_SECURITY_PROTOCOL` (`PLAINTEXT`, `SSL`, `SASL_PLAINTEXT`, `SASL_SSL`) and what it
 * needs: `KAFKA_SSL_CA_FILE` (else the system's CAs), `KAFKA_SSL_CERT_FILE` + `KAFKA_SSL_KEY_FILE`
 * (mutual TLS) for the TLS ones; `KAFKA_SASL_MECHANISM`, `KAFKA_SASL_USERNAME` and
 * `KAFKA_SASL_PASSWORD` or `KAFKA_SASL_PASSWORD_FILE` for the SASL ones. A setting that the
 * protocol would ignore is refused, so that a half-configured client fails at start-up rather
 * than connecting in plaintext.
 */
export function kafkaSecurity(settings: SettingsReader): KafkaSecurity {
  const protocol = settings.oneOf('KAFKA_SECURITY_PROTOCOL', KAFKA_SECURITY_PROTOCOLS, 'PLAINTEXT');
  const ignored = [...(usesTls(protocol) ? [] : TLS_SETTINGS), ...(usesSasl(protocol) ? [] : SASL_SETTINGS)].find((name) => settings.optional(name) !== undefined);
  if (ignored) {
    const needs = TLS_SETTINGS.includes(ignored as (typeof TLS_SETTINGS)[number]) ? 'SSL or SASL_SSL' : 'SASL_PLAINTEXT or SASL_SSL';
    throw new ConfigError(ignored, `is set but KAFKA_SECURITY_PROTOCOL is ${protocol}; set KAFKA_SECURITY_PROTOCOL to ${needs}, or unset ${ignored}`);
  }
  if (!usesSasl(protocol)) return usesTls(protocol) ? { protocol, tls: tls(settings) } : { protocol };
  const mechanismText = settings.optional('KAFKA_SASL_MECHANISM');
  if (mechanismText === undefined) throw new ConfigError('KAFKA_SASL_MECHANISM', `must be set with ${protocol}: one of ${KAFKA_SASL_MECHANISMS.join(', ')}`);
  const mechanism = settings.oneOf<KafkaSaslMechanism>('KAFKA_SASL_MECHANISM', KAFKA_SASL_MECHANISMS, 'SCRAM-SHA-512');
  const username = settings.optional('KAFKA_SASL_USERNAME');
  if (username === undefined) throw new ConfigError('KAFKA_SASL_USERNAME', `must be set with ${protocol}`);
  const password = settings.secret('KAFKA_SASL_PASSWORD');
  if (password === undefined) throw new ConfigError('KAFKA_SASL_PASSWORD', `must be set with ${protocol} (or KAFKA_SASL_PASSWORD_FILE, a file holding it)`);
  if (mechanism === 'PLAIN' && protocol === 'SASL_PLAINTEXT') {
    throw new ConfigError('KAFKA_SASL_MECHANISM', 'PLAIN over SASL_PLAINTEXT sends the password in clear text; use SASL_SSL or a SCRAM mechanism');
  }
  const sasl = { mechanism, username, password: password.value, passwordSetting: password.setting };
  return usesTls(protocol) ? { protocol, tls: tls(settings), sasl } : { protocol, sasl };
}
