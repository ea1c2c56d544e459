import { ConfigError } from '@cryptostream/schema';
import { loadApiConfig } from './api.config';

describe('loadApiConfig', () => {
  it('fills in the defaults and freezes the result', () => {
    const config = loadApiConfig({});
    expect(config).toMatchObject({
      httpPort: 3000, kafka: { brokers: ['127.0.0.1:9092'], security: { protocol: 'PLAINTEXT' } }, windowUpdatesTopic: { name: 'crypto_windows', partitions: 3 }, intervals: [{ label: '1m', ms: 60_000 }], replayUpdates: 1000,
      ingestorUrl: 'http://127.0.0.1:3001', aggregatorUrl: 'http://127.0.0.1:3002',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('keeps the API open by default, with its limits', () => {
    expect(loadApiConfig({})).toMatchObject({
      http: { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, idleTimeoutMs: 60_000, maxHeaderBytes: 16_384, maxUrlBytes: 4_096 },
      access: { rateLimit: 1_200, rateLimitWindowMs: 60_000, maxStreams: 2_000, maxStreamsPerClient: 10, corsOrigins: [], apiKeys: undefined, trustedProxies: undefined },
    });
  });

  it('reads the origins, the proxies and how the caps relate', () => {
    const config = loadApiConfig({ API_CORS_ORIGINS: 'https://a.example.com, http://b.example.com:8080/', API_TRUST_PROXY: 'loopback, 10.1.2.3' });
    expect(config.access.corsOrigins).toEqual(['https://a.example.com', 'http://b.example.com:8080']);
    expect(config.access.trustedProxies).toEqual({ subnets: ['127.0.0.0/8', '::1/128', '10.1.2.3/32'] });
    expect(loadApiConfig({ API_TRUST_PROXY: '2' }).access.trustedProxies).toEqual({ hops: 2 });
    expect(() => loadApiConfig({ API_MAX_STREAMS: '5', API_MAX_STREAMS_PER_CLIENT: '6' })).toThrow('API_MAX_STREAMS_PER_CLIENT: must not exceed API_MAX_STREAMS (5), got 6');
    expect(() => loadApiConfig({ API_HEADERS_TIMEOUT_MS: '40000' })).toThrow('API_HEADERS_TIMEOUT_MS: must not exceed API_REQUEST_TIMEOUT_MS (30000), got 40000');
  });

  it('reads the intervals smallest first, without duplicates', () => {
    expect(loadApiConfig({ WINDOW_SIZES: '1h, 1m,5m,1m' }).intervals.map((i) => i.label)).toEqual(['1m', '5m', '1h']);
  });

  it('serves the size the aggregator writes for the older WINDOW_SIZE, named as its rows name it', () => {
    expect(loadApiConfig({ WINDOW_SIZE: '30s' }).intervals).toEqual([{ ms: 30_000, label: '30s' }]);
    expect(() => loadApiConfig({ WINDOW_SIZE: '30s', WINDOW_SIZES: '1m' })).toThrow(/^WINDOW_SIZE: set WINDOW_SIZES or WINDOW_SIZE, not both/);
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
    ['API_RATE_LIMIT', '0'],
    ['API_RATE_LIMIT_WINDOW_MS', '10'],
    ['API_MAX_STREAMS', 'many'],
    ['API_MAX_STREAMS_PER_CLIENT', '0'],
    ['API_HEADERS_TIMEOUT_MS', '500'],
    ['API_IDLE_TIMEOUT_MS', '15000'],
    ['API_MAX_URL_BYTES', '1e4'],
    ['API_CORS_ORIGINS', 'https://app.example.com/path'],
    ['API_CORS_ORIGINS', '*'],
    ['API_TRUST_PROXY', 'everyone'],
    ['API_TRUST_PROXY', '10.0.0.0/33'],
    ['API_KEYS_FILE', '/nonexistent/keys'],
  ])('stops with a ConfigError naming %s when it is %p', (setting, value) => {
    expect(() => loadApiConfig({ [setting]: value })).toThrow(ConfigError);
    expect(() => loadApiConfig({ [setting]: value })).toThrow(new RegExp(`^${setting}: `));
  });
});
