import { SettingsReader } from '@cryptostream/config';
import { ConfigError } from '@cryptostream/schema';
import { isIP } from 'node:net';
import { ApiKeys, readApiKeysFile } from './api-keys-file';

/** How the HTTP server bounds what one slow or careless client can hold. */
export interface HttpLimits {
  /** A request's head must arrive within this (slowloris); 408 otherwise. */
  readonly headersTimeoutMs: number;
  /** The whole request (head and body) must arrive within this; 408 otherwise. */
  readonly requestTimeoutMs: number;
  /** An idle kept-alive socket is closed after this. */
  readonly keepAliveTimeoutMs: number;
  /** A socket with no traffic either way is closed after this (SSE keep-alives come every 15 s). */
  readonly idleTimeoutMs: number;
  /** Request line and headers together; 431 beyond. */
  readonly maxHeaderBytes: number;
  /** The request target (path and query); 414 beyond. */
  readonly maxUrlBytes: number;
}

/**
 * Whom the API's proxies are: unset trusts none (the client is the socket's peer); a whole number
 * trusts that many hops of `X-Forwarded-For`; a list trusts peers in those addresses and subnets.
 */
export type TrustedProxies = { readonly hops: number } | { readonly subnets: readonly string[] } | undefined;

/** Who may use the API, how much, and from which web origins. */
export interface AccessSettings {
  /** Requests one client may make in any `rateLimitWindowMs` (health and metrics excluded). */
  readonly rateLimit: number;
  readonly rateLimitWindowMs: number;
  /** Live streams (SSE and WebSocket) this instance holds at once; 503 beyond. */
  readonly maxStreams: number;
  /** Live streams one client holds at once; 429 beyond. */
  readonly maxStreamsPerClient: number;
  /** Web origins allowed to read the API from a browser (CORS); none when empty. */
  readonly corsOrigins: readonly string[];
  /** When set, `/api/*` needs one of these keys (the dashboard's reads excepted, see AccessModule). */
  readonly apiKeys: ApiKeys | undefined;
  readonly trustedProxies: TrustedProxies;
  /** How long the dashboard's session cookie lets its page read without a key. */
  readonly dashboardSessionMs: number;
}

/** `API_HEADERS_TIMEOUT_MS`, `API_REQUEST_TIMEOUT_MS`, `API_KEEPALIVE_TIMEOUT_MS`, `API_IDLE_TIMEOUT_MS`, `API_MAX_HEADER_BYTES`, `API_MAX_URL_BYTES`. */
export function httpLimits(settings: SettingsReader): HttpLimits {
  const headersTimeoutMs = settings.integer('API_HEADERS_TIMEOUT_MS', 10_000, 1_000, 300_000);
  const requestTimeoutMs = settings.integer('API_REQUEST_TIMEOUT_MS', 30_000, 1_000, 3_600_000);
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError('API_HEADERS_TIMEOUT_MS', `must not exceed API_REQUEST_TIMEOUT_MS (${requestTimeoutMs}), got ${headersTimeoutMs}`);
  }
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: settings.integer('API_KEEPALIVE_TIMEOUT_MS', 5_000, 100, 600_000),
    // Above the SSE keep-alive period, or idle streams would be cut.
    idleTimeoutMs: settings.integer('API_IDLE_TIMEOUT_MS', 60_000, 20_000, 3_600_000),
    maxHeaderBytes: settings.integer('API_MAX_HEADER_BYTES', 16_384, 1_024, 1_048_576),
    maxUrlBytes: settings.integer('API_MAX_URL_BYTES', 4_096, 256, 1_048_576),
  };
}

/** `API_RATE_LIMIT…`, `API_MAX_STREAMS…`, `API_CORS_ORIGINS`, `API_KEYS_FILE`, `API_TRUST_PROXY`, `API_DASHBOARD_SESSION_MS`. */
export function accessSettings(settings: SettingsReader): AccessSettings {
  const maxStreams = settings.integer('API_MAX_STREAMS', 2_000, 1, 1_000_000);
  const maxStreamsPerClient = settings.integer('API_MAX_STREAMS_PER_CLIENT', 10, 1, 1_000_000);
  if (maxStreamsPerClient > maxStreams) {
    throw new ConfigError('API_MAX_STREAMS_PER_CLIENT', `must not exceed API_MAX_STREAMS (${maxStreams}), got ${maxStreamsPerClient}`);
  }
  const keysFile = settings.optional('API_KEYS_FILE');
  return {
    rateLimit: settings.integer('API_RATE_LIMIT', 1_200, 1, 1_000_000_000),
    rateLimitWindowMs: settings.integer('API_RATE_LIMIT_WINDOW_MS', 60_000, 1_000, 86_400_000),
    maxStreams,
    maxStreamsPerClient,
    corsOrigins: settings.list('API_CORS_ORIGINS').map((origin) => webOrigin('API_CORS_ORIGINS', origin)),
    apiKeys: keysFile === undefined ? undefined : readApiKeysFile('API_KEYS_FILE', keysFile),
    trustedProxies: trustedProxies(settings),
    dashboardSessionMs: settings.integer('API_DASHBOARD_SESSION_MS', 12 * 3_600_000, 60_000, 30 * 86_400_000),
  };
}

/** `https://app.example.com` (scheme, host and port; no path): what a browser sends as `Origin`. */
function webOrigin(setting: string, text: string): string {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.origin !== text.replace(/\/$/, '')) {
    throw new ConfigError(setting, `${JSON.stringify(text)} is not a web origin like https://app.example.com (scheme, host, optional port, no path)`);
  }
  return url.origin;
}

const PROXY_NAMES: Record<string, readonly string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

function trustedProxies(settings: SettingsReader): TrustedProxies {
  const text = settings.optional('API_TRUST_PROXY');
  if (text === undefined) return undefined;
  if (/^\d+$/.test(text)) return { hops: settings.integer('API_TRUST_PROXY', 0, 1, 10) };
  const subnets = settings.list('API_TRUST_PROXY').flatMap((item) => {
    if (PROXY_NAMES[item]) return PROXY_NAMES[item];
    const [address, bits] = item.split('/');
    const family = isIP(address);
    const maxBits = family === 6 ? 128 : 32;
    if (family === 0 || (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= maxBits))) {
      throw new ConfigError('API_TRUST_PROXY', `${JSON.stringify(item)} is not a hop count, an address, a subnet (10.0.0.0/8) or one of ${Object.keys(PROXY_NAMES).join(', ')}`);
    }
    return [bits === undefined ? `${address}/${maxBits}` : item];
  });
  return { subnets };
}
