import type { KafkaConfig, SASLOptions } from 'kafkajs';

export const KAFKA_SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type KafkaSecurityProtocol = (typeof KAFKA_SECURITY_PROTOCOLS)[number];

export const KAFKA_SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/** TLS material as PEM text (read from the `*_FILE` settings at start-up). */
export interface KafkaTls {
  /** The CA that signed the brokers' certificates; unset: the system's CAs. */
  readonly ca?: string;
  /** Client certificate and key, for brokers that require mutual TLS. */
  readonly cert?: string;
  readonly key?: string;
}

export interface KafkaSasl {
  readonly mechanism: KafkaSaslMechanism;
  readonly username: string;
  readonly password: string;
  /** The setting the password came from, so that a refusal names it (`KAFKA_SASL_PASSWORD` or `_FILE`). */
  readonly passwordSetting: string;
}

/** How a client proves itself to the brokers and protects the connection. */
export interface KafkaSecurity {
  readonly protocol: KafkaSecurityProtocol;
  /** Present exactly when the protocol is `SSL` or `SASL_SSL`. */
  readonly tls?: KafkaTls;
  /** Present exactly when the protocol is `SASL_PLAINTEXT` or `SASL_SSL`. */
  readonly sasl?: KafkaSasl;
}

/** Where the brokers are and how to reach them: everything a client needs to connect. */
export interface KafkaConnection {
  readonly brokers: readonly string[];
  readonly security: KafkaSecurity;
}

export const PLAINTEXT: KafkaSecurity = Object.freeze({ protocol: 'PLAINTEXT' });

/** A plaintext connection to `brokers` (the local broker of development and tests). */
export function plaintextConnection(brokers: readonly string[]): KafkaConnection {
  return { brokers, security: PLAINTEXT };
}

export function usesTls(protocol: KafkaSecurityProtocol): boolean {
  return protocol === 'SSL' || protocol === 'SASL_SSL';
}

export function usesSasl(protocol: KafkaSecurityProtocol): boolean {
  return protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL';
}

/** The `ssl` and `sasl` options of a kafkajs client for `security`. */
export function kafkajsSecurity(security: KafkaSecurity): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const options: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (usesTls(security.protocol)) {
    const { ca, cert, key } = security.tls ?? {};
    // The broker's certificate is always verified: against the CA given, else the system's.
    options.ssl = { rejectUnauthorized: true, ...(ca ? { ca: [ca] } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
  }
  if (usesSasl(security.protocol) && security.sasl) {
    const { mechanism, username, password } = security.sasl;
    options.sasl = { mechanism: mechanism.toLowerCase(), username, password } as SASLOptions;
  }
  return options;
}
