import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSProtocolError, KafkaJSSASLAuthenticationError } from 'kafkajs';
import { kafkaSecurityError } from './kafka-security-error';
import { KafkaConnection, kafkajsSecurity, plaintextConnection } from './kafka-security';

const SECURED: KafkaConnection = {
  brokers: ['127.0.0.1:9094'],
  security: {
    protocol: 'SASL_SSL',
    tls: { ca: 'CA PEM' },
    sasl: { mechanism: 'SCRAM-SHA-512', username: 'aggregator', password: 'agg-pass', passwordSetting: 'KAFKA_SASL_PASSWORD_FILE' },
  },
};

describe('kafkajsSecurity', () => {
  it('sets nothing for plaintext, and verified TLS with the CA and SASL for SASL_SSL', () => {
    expect(kafkajsSecurity(plaintextConnection(['h:1']).security)).toEqual({});
    expect(kafkajsSecurity(SECURED.security)).toEqual({
      ssl: { rejectUnauthorized: true, ca: ['CA PEM'] },
      sasl: { mechanism: 'scram-sha-512', username: 'aggregator', password: 'agg-pass' },
    });
    expect(kafkajsSecurity({ protocol: 'SSL', tls: { cert: 'C', key: 'K' } })).toEqual({ ssl: { rejectUnauthorized: true, cert: 'C', key: 'K' } });
  });
});

describe('kafkaSecurityError', () => {
  it('names the password setting and the user when the brokers refuse the credentials, wrapped or not', () => {
    const refused = new (KafkaJSSASLAuthenticationError as unknown as new (message: string) => Error)('SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512');
    for (const error of [refused, new KafkaJSNonRetriableError(refused)]) {
      const explained = kafkaSecurityError(error, SECURED);
      expect(explained?.message).toBe('KAFKA_SASL_PASSWORD_FILE: authentication failed for user "aggregator" (SCRAM-SHA-512) at 127.0.0.1:9094; check KAFKA_SASL_USERNAME and the password');
      expect([explained?.setting, explained?.retriable]).toEqual(['KAFKA_SASL_PASSWORD_FILE', false]);
      expect(explained?.message).not.toContain('agg-pass');
    }
  });

  it('names KAFKA_SSL_CA_FILE when the broker certificate is not trusted', () => {
    const error = new KafkaJSConnectionError('Connection error: self-signed certificate in certificate chain', { code: 'SELF_SIGNED_CERT_IN_CHAIN' } as never);
    expect(kafkaSecurityError(error, SECURED)?.message).toMatch(/^KAFKA_SSL_CA_FILE: the certificate of 127.0.0.1:9094 is not trusted \(Connection error: self-signed/);
  });

  it('says which grant is missing for whom when an ACL refuses', () => {
    const error = new KafkaJSProtocolError({ type: 'TOPIC_AUTHORIZATION_FAILED', code: 29, retriable: false, message: 'Not authorized to access topics: [Topic authorization failed]' } as never);
    expect(kafkaSecurityError(error, SECURED)?.message).toBe(
      'KAFKA_SASL_USERNAME: user "aggregator" is not authorized at 127.0.0.1:9094: TOPIC_AUTHORIZATION_FAILED (Not authorized to access topics: [Topic authorization failed]); the broker\'s ACLs must grant it',
    );
  });

  it('leaves other errors to the caller', () => {
    expect(kafkaSecurityError(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9094', { code: 'ECONNREFUSED' } as never), SECURED)).toBeUndefined();
    expect(kafkaSecurityError(new Error('boom'), SECURED)).toBeUndefined();
  });
});
