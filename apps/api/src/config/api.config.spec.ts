import { ConfigError } from '@cryptostream/schema';
import { loadApiConfig } from './api.config';

describe('loadApiConfig', () => {
  it('fills in the defaults and freezes the result', () => {
    const config = loadApiConfig({});
    expect(config).toMatchObject({
      httpPort: 3000, kafkaBrokers: ['127.0.0.1:9092'], windowsTopic: 'crypto_windows', intervals: [{ label: '1m', ms: 60_000 }], replayUpdates: 1000,
      ingestorUrl: 'http://127.0.0.1:3001', aggregatorUrl: 'http://127.0.0.1:3002',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads the intervals smallest first, without duplicates', () => {
    expect(loadApiConfig({ WINDOW_SIZES: '1h, 1m,5m,1m' }).intervals.map((i) => i.label)).toEqual(['1m', '5m', '1h']);
  });

  it.each([
    ['HTTP_PORT', '70000'],
    ['HTTP_PORT', '1e3'],
    ['KAFKA_TOPIC', 'has space'],
    ['LOG_LEVEL', 'loud'],
    ['KAFKA_WINDOWS_TOPIC', 'has space'],
    ['WINDOW_SIZES', '1w'],
    ['WINDOW_SIZES', ','],
    ['WINDOW_SIZES', '3m,5m'],
    ['SSE_REPLAY_UPDATES', '0'],
    ['INGESTOR_URL', 'ftp://x'],
    ['MYSQL_URL', 'postgres://x/y'],
  ])('stops with a ConfigError naming %s when it is %p', (setting, value) => {
    expect(() => loadApiConfig({ [setting]: value })).toThrow(ConfigError);
    expect(() => loadApiConfig({ [setting]: value })).toThrow(new RegExp(`^${setting}: `));
  });
});
