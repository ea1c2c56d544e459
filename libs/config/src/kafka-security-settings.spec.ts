import { ConfigError, redactSecrets } from '@cryptostream/schema';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaSecurity } from './kafka-security-settings';
import { Env, SettingsReader } from './settings-reader';

const dir = mkdtempSync(join(tmpdir(), 'kafka-security-'));
function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}
const CA = file('ca.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
const KEY = file('key.pem', '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n');
const SCRAM = { KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SSL_CA_FILE: CA, KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', KAFKA_SASL_USERNAME: 'aggregator' };

const read = (env: Env) => kafkaSecurity(new SettingsReader(env));
function refusal(env: Env): string {
  try {
    read(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('kafkaSecurity', () => {
  it('is plaintext by default', () => {
    expect(read({})).toEqual({ protocol: 'PLAINTEXT' });
  });

  it('reads SASL_SSL with SCRAM, the CA from its file and the password from the environment or a mounted file', () => {
    expect(read({ ...SCRAM, KAFKA_SASL_PASSWORD: 'agg-pass' })).toEqual({
      protocol: 'SASL_SSL',
      tls: { ca: expect.stringContaining('BEGIN CERTIFICATE') },
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'aggregator', password: 'agg-pass', passwordSetting: 'KAFKA_SASL_PASSWORD' },
    });
    const fromFile = read({ ...SCRAM, KAFKA_SASL_PASSWORD_FILE: file('password', 'Mounted-Secret-1\n') });
    expect(fromFile.sasl).toMatchObject({ password: 'Mounted-Secret-1', passwordSetting: 'KAFKA_SASL_PASSWORD_FILE' });
    // What a mounted file held is never logged from then on, wherever it appears.
    expect(redactSecrets('login with Mounted-Secret-1 failed')).toBe('login with *** failed');
  });

  it('reads mutual TLS: certificate and key together', () => {
    expect(read({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA_FILE: CA, KAFKA_SSL_CERT_FILE: CA, KAFKA_SSL_KEY_FILE: KEY }).tls).toEqual({
      ca: expect.any(String), cert: expect.any(String), key: expect.stringContaining('PRIVATE KEY'),
    });
    expect(read({ KAFKA_SECURITY_PROTOCOL: 'SSL' })).toEqual({ protocol: 'SSL', tls: {} });
  });

  it.each<[Env, string]>([
    [{ KAFKA_SECURITY_PROTOCOL: 'TLS' }, 'KAFKA_SECURITY_PROTOCOL: must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL, got "TLS"'],
    [{ KAFKA_SASL_USERNAME: 'x' }, 'KAFKA_SASL_USERNAME: is set but KAFKA_SECURITY_PROTOCOL is PLAINTEXT; set KAFKA_SECURITY_PROTOCOL to SASL_PLAINTEXT or SASL_SSL, or unset KAFKA_SASL_USERNAME'],
    [{ KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', KAFKA_SSL_CA_FILE: CA }, 'KAFKA_SSL_CA_FILE: is set but KAFKA_SECURITY_PROTOCOL is SASL_PLAINTEXT; set KAFKA_SECURITY_PROTOCOL to SSL or SASL_SSL, or unset KAFKA_SSL_CA_FILE'],
    [{ ...SCRAM, KAFKA_SASL_MECHANISM: '', KAFKA_SASL_PASSWORD: 'p' }, 'KAFKA_SASL_MECHANISM: must be set with SASL_SSL: one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512'],
    [{ ...SCRAM, KAFKA_SASL_MECHANISM: 'GSSAPI', KAFKA_SASL_PASSWORD: 'p' }, 'KAFKA_SASL_MECHANISM: must be one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, got "GSSAPI"'],
    [{ ...SCRAM, KAFKA_SASL_USERNAME: ' ', KAFKA_SASL_PASSWORD: 'p' }, 'KAFKA_SASL_USERNAME: must be set with SASL_SSL'],
    [{ ...SCRAM }, 'KAFKA_SASL_PASSWORD: must be set with SASL_SSL (or KAFKA_SASL_PASSWORD_FILE, a file holding it)'],
    [{ ...SCRAM, KAFKA_SASL_PASSWORD: 'p', KAFKA_SASL_PASSWORD_FILE: CA }, 'KAFKA_SASL_PASSWORD_FILE: set KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE, not both'],
    [{ ...SCRAM, KAFKA_SASL_PASSWORD_FILE: join(dir, 'missing') }, `KAFKA_SASL_PASSWORD_FILE: cannot read ${JSON.stringify(join(dir, 'missing'))}: ENOENT`],
    [{ ...SCRAM, KAFKA_SASL_PASSWORD_FILE: file('empty', '\n') }, `KAFKA_SASL_PASSWORD_FILE: ${JSON.stringify(join(dir, 'empty'))} is empty`],
    [{ ...SCRAM, KAFKA_SASL_PASSWORD: 'p', KAFKA_SSL_CA_FILE: KEY }, `KAFKA_SSL_CA_FILE: ${JSON.stringify(KEY)} holds no PEM certificate`],
    [{ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CERT_FILE: CA }, 'KAFKA_SSL_KEY_FILE: must be set with KAFKA_SSL_CERT_FILE (mutual TLS needs the key of the certificate)'],
    [{ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_KEY_FILE: KEY }, 'KAFKA_SSL_CERT_FILE: must be set with KAFKA_SSL_KEY_FILE (mutual TLS needs the certificate of the key)'],
    [{ KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', KAFKA_SASL_MECHANISM: 'PLAIN', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }, 'KAFKA_SASL_MECHANISM: PLAIN over SASL_PLAINTEXT sends the password in clear text; use SASL_SSL or a SCRAM mechanism'],
  ])('refuses %j, naming the setting', (env, message) => {
    expect(refusal(env)).toBe(message);
  });

  it('never repeats a password in its refusals', () => {
    expect(refusal({ ...SCRAM, KAFKA_SASL_PASSWORD: 'Very-Secret-9', KAFKA_SASL_PASSWORD_FILE: CA })).not.toContain('Very-Secret-9');
  });
});
