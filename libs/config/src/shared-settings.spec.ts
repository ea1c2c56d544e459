import { ConfigError } from '@cryptostream/schema';
import { loadConfig } from './app-config.module';
import type { Env } from './settings-reader';
import { SettingsReader } from './settings-reader';
import { httpPort, kafkaSettings, logLevel, mysqlSettings, windowUpdatesTopic } from './shared-settings';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const schema = (env: Env) =>
  loadConfig(
    (settings) => ({ kafka: kafkaSettings(settings), mysql: mysqlSettings(settings), httpPort: httpPort(settings, 3000), logLevel: logLevel(settings) }),
    env,
  );

describe('shared settings', () => {
  it('have one set of defaults, and the loaded configuration is frozen throughout', () => {
    const config = schema({});
    expect(config).toEqual({
      kafka: { brokers: ['127.0.0.1:9092'], security: { protocol: 'PLAINTEXT' }, topic: 'crypto_prices', deadLetterTopic: 'crypto_prices.dlq', replication: {} },
      mysql: { host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'cryptostream' },
      httpPort: 3000,
      logLevel: 'info',
    });
    expect(Object.isFrozen(config) && Object.isFrozen(config.kafka) && Object.isFrozen(config.kafka.brokers)).toBe(true);
  });

  it.each([
    [{ KAFKA_BROKERS: 'localhost' }, 'KAFKA_BROKERS'],
    [{ KAFKA_TOPIC: 'bad topic' }, 'KAFKA_TOPIC'],
    [{ KAFKA_DLQ_TOPIC: 'crypto_prices' }, 'KAFKA_DLQ_TOPIC'],
    [{ KAFKA_REPLICATION_FACTOR: '0' }, 'KAFKA_REPLICATION_FACTOR'],
    [{ MYSQL_URL: 'postgres://x/y' }, 'MYSQL_URL'],
    [{ HTTP_PORT: '1e3' }, 'HTTP_PORT'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL'],
  ])('stop start-up on %j with a ConfigError naming %s', (env, setting) => {
    expect(() => schema(env)).toThrow(ConfigError);
    expect(() => schema(env)).toThrow(new RegExp(`^${setting}: `));
  });
});

describe('the window-update topic', () => {
  it('is crypto_windows with 3 partitions by default, else KAFKA_WINDOWS_TOPIC with KAFKA_TOPIC_PARTITIONS', () => {
    expect(windowUpdatesTopic(new SettingsReader({}))).toEqual({ name: 'crypto_windows', partitions: 3 });
    expect(windowUpdatesTopic(new SettingsReader({ KAFKA_WINDOWS_TOPIC: 'eu.windows', KAFKA_TOPIC_PARTITIONS: '12' }))).toEqual({ name: 'eu.windows', partitions: 12 });
  });

  it.each([
    [{ KAFKA_WINDOWS_TOPIC: 'bad topic' }, 'KAFKA_WINDOWS_TOPIC'],
    [{ KAFKA_TOPIC_PARTITIONS: '0' }, 'KAFKA_TOPIC_PARTITIONS'],
  ])('stops start-up on %j with a ConfigError naming %s', (env, setting) => {
    expect(() => windowUpdatesTopic(new SettingsReader(env))).toThrow(new RegExp(`^${setting}: `));
  });
});

describe('MySQL over TLS and a password file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mysql-settings-'));
  const ca = join(dir, 'ca.pem');
  const passwordFile = join(dir, 'password');
  writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  writeFileSync(passwordFile, 'Db-Secret-7\n');
  const read = (env: Env) => loadConfig((settings) => mysqlSettings(settings), env);

  it('verifies the server against MYSQL_SSL_CA_FILE or ?ssl-ca=, or the system CAs with ?ssl=true, and takes the password from a file', () => {
    const url = 'mysql://cryptostream_reader@db:3306/cryptostream';
    expect(read({ MYSQL_URL: url, MYSQL_SSL_CA_FILE: ca, MYSQL_PASSWORD_FILE: passwordFile })).toEqual({
      host: 'db', port: 3306, user: 'cryptostream_reader', password: 'Db-Secret-7', database: 'cryptostream',
      ssl: { ca: expect.stringContaining('BEGIN CERTIFICATE'), rejectUnauthorized: true },
    });
    expect(read({ MYSQL_URL: `${url}?ssl-ca=${ca}` }).ssl).toEqual({ ca: expect.any(String), rejectUnauthorized: true });
    expect(read({ MYSQL_URL: `${url}?ssl=true` }).ssl).toEqual({ rejectUnauthorized: true });
    expect(read({ MYSQL_URL: url }).ssl).toBeUndefined();
  });

  it.each([
    [{ MYSQL_URL: 'mysql://u:p@db/x', MYSQL_PASSWORD_FILE: passwordFile }, 'MYSQL_PASSWORD_FILE: MYSQL_URL has a password already: give it in one place'],
    [{ MYSQL_URL: `mysql://u@db/x?ssl-ca=${ca}`, MYSQL_SSL_CA_FILE: ca }, 'MYSQL_SSL_CA_FILE: MYSQL_URL has ?ssl-ca= already: give the CA in one place'],
    [{ MYSQL_URL: 'mysql://u@db/x?sslmode=require' }, 'MYSQL_URL: does not take ?sslmode= (only ?ssl=, ?ssl-ca=)'],
    [{ MYSQL_URL: 'mysql://u@db/x?ssl=yes' }, 'MYSQL_URL: ?ssl= must be true or false, got "yes"'],
    [{ MYSQL_URL: 'mysql://u@db/x', MYSQL_SSL_CA_FILE: passwordFile }, `MYSQL_SSL_CA_FILE: ${JSON.stringify(passwordFile)} holds no PEM certificate`],
    [{ MYSQL_URL: `mysql://u@db/x?ssl-ca=${join(dir, 'none.pem')}` }, `MYSQL_URL: cannot read ${JSON.stringify(join(dir, 'none.pem'))}: ENOENT`],
  ])('refuses %j, naming the setting', (env, message) => {
    expect(() => read(env)).toThrow(ConfigError);
    expect(() => read(env)).toThrow(message);
  });
});
