import { ConfigError } from '@cryptostream/schema';
import { loadConfig } from './app-config.module';
import type { Env } from './settings-reader';
import { httpPort, kafkaSettings, logLevel, mysqlSettings } from './shared-settings';

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
