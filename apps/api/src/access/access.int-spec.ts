import 'reflect-metadata';
import { AppProcess, createTestDatabase, createTestTopics, freePort, TEST_KAFKA_BROKERS, TestDatabase, waitFor } from '@cryptostream/testing';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, openStream, OpenStream, refusalCounts } from '../testing/loopback-client';

jest.setTimeout(120_000);

const LOGS = join(__dirname, '../../../../tmp/access-test');
const KEY_A = 'key-a-0123456789abcdefghij';
const KEY_B = 'key-b-0123456789abcdefghij';
const KEY_C = 'key-c-0123456789abcdefghij';
const UNKNOWN_KEY = 'not-a-key-9876543210zyxwv';
const RATE_LIMIT = 40;
const STREAM = '/api/candles/stream?symbol=TRXUSDT&interval=1m';

describe('API access: keys, the dashboard cookie, rate limits, stream caps, CORS, security headers (the API as a process)', () => {
  let db: TestDatabase;
  let topics: Awaited<ReturnType<typeof createTestTopics>>;
  let api: AppProcess;
  let dir: string;
  let port: number;

  beforeAll(async () => {
    mkdirSync(LOGS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'cryptostream-access-'));
    writeFileSync(join(dir, 'keys'), `# the API's clients\n${KEY_A}\n\n  ${KEY_B}  \n${KEY_C}\n`);
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>dashboard</title>');
    db = await createTestDatabase();
    topics = await createTestTopics(['windows']);
    port = await freePort();
    api = AppProcess.start('api', port, {
      MYSQL_URL: db.url, KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_WINDOWS_TOPIC: topics.topics['windows'], DASHBOARD_DIR: dir,
      API_KEYS_FILE: join(dir, 'keys'), API_RATE_LIMIT: String(RATE_LIMIT), API_MAX_STREAMS: '4', API_MAX_STREAMS_PER_CLIENT: '2',
      API_CORS_ORIGINS: 'https://app.example.com', LOG_LEVEL: 'debug',
    }, LOGS);
    await api.waitReady(60_000);
  });

  afterAll(async () => {
    await api?.stop();
    await topics?.dispose();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('asks /api/* for a known key, in X-API-Key or X-MBX-APIKEY; the page, health and metrics need none', async () => {
    const from = '127.0.0.11';
    expect((await call(port, '/api/symbols', { from })).status).toBe(401);
    expect(JSON.parse((await call(port, '/api/symbols', { from })).body)).toMatchObject({ message: 'an API key is needed: send it in X-API-Key or X-MBX-APIKEY' });
    expect((await call(port, '/api/symbols', { from, headers: { 'X-API-Key': KEY_A } })).status).toBe(200);
    expect((await call(port, '/api/symbols', { from, headers: { 'X-MBX-APIKEY': KEY_B } })).status).toBe(200);
    const unknown = await call(port, '/api/symbols', { from, headers: { 'X-API-Key': UNKNOWN_KEY } });
    expect([unknown.status, JSON.parse(unknown.body).message]).toEqual([401, 'the API key is not known']);
    expect((await call(port, '/api/no-such-route', { from })).status).toBe(404);
    for (const path of ['/', '/health/live', '/health/ready', '/metrics']) expect([path, (await call(port, path, { from })).status]).toEqual([path, 200]);
  });

  it('lets the dashboard read with the cookie its page sets, and nothing more', async () => {
    const from = '127.0.0.12';
    const page = await call(port, '/', { from });
    const setCookie = String(page.headers['set-cookie']);
    expect(setCookie).toMatch(/^cs_dashboard=\d+\.[0-9a-f]{64}; Max-Age=43200; Path=\/api; HttpOnly; SameSite=Strict$/);
    const cookie = setCookie.split(';')[0];
    for (const path of ['/api/symbols', '/api/candles?symbol=TRXUSDT', '/api/pipeline']) expect([path, (await call(port, path, { from, headers: { cookie } })).status]).toEqual([path, 200]);
    const stream = await openStream(port, STREAM, { from, headers: { cookie } });
    expect(stream.status).toBe(200);
    stream.close();
    // The OpenAPI document is public, cookie or not (routes other than the page's: api-key.guard.spec).
    expect((await call(port, '/api/docs-json', { from })).status).toBe(200);
    expect((await call(port, '/api/candles?symbol=TRXUSDT', { from, headers: { cookie: cookie.replace(/.$/, (c) => (c === '0' ? '1' : '0')) } })).status).toBe(401);
    const expired = cookie.replace(/=\d+\./, '=1000.');
    expect((await call(port, '/api/symbols', { from, headers: { cookie: expired } })).status).toBe(401);
  });

  it('limits each client to API_RATE_LIMIT requests a window, then 429 with Retry-After; key guesses count, probes do not', async () => {
    const from = '127.0.0.13';
    const statuses: number[] = [];
    for (let n = 0; n < RATE_LIMIT; n++) statuses.push((await call(port, '/api/symbols', { from, headers: { 'X-API-Key': `${UNKNOWN_KEY}${n}` } })).status);
    expect(new Set(statuses)).toEqual(new Set([401]));
    const limited = await call(port, '/api/symbols', { from });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(JSON.parse(limited.body).message).toMatch(/^rate limit: at most 40 requests in 60 s a client; retry after \d+ s$/);
    expect((await call(port, '/', { from })).status).toBe(429); // one count for every route
    // The same address with a key is another client; probes and scrapes are never limited.
    expect((await call(port, '/api/symbols', { from, headers: { 'X-API-Key': KEY_C } })).status).toBe(200);
    for (const path of ['/health/live', '/health/ready', '/metrics']) expect([path, (await call(port, path, { from })).status]).toEqual([path, 200]);
    expect((await call(port, '/api/symbols', { from: '127.0.0.14', headers: { 'X-API-Key': KEY_A } })).status).toBe(200);
    const answered = await call(port, '/api/symbols', { from: '127.0.0.15', headers: { 'X-API-Key': KEY_A } });
    expect(Number(answered.headers['x-ratelimit-limit'])).toBe(RATE_LIMIT);
  });

  it('caps live streams per client (429) and per instance (503), and frees a slot when a stream ends', async () => {
    const open: OpenStream[] = [];
    const as = (key: string) => ({ from: '127.0.0.16', headers: { 'X-API-Key': key } });
    for (const key of [KEY_A, KEY_A]) open.push(await openStream(port, STREAM, as(key)));
    expect(open.map((s) => s.status)).toEqual([200, 200]);
    const third = await openStream(port, STREAM, as(KEY_A));
    expect([third.status, third.headers['retry-after']]).toEqual([429, '5']);
    await waitFor('the refusal to end', () => third.ended(), { everyMs: 50 });
    expect(JSON.parse(third.events[0].data).message).toBe('this client holds 2 live streams, the most one client may hold');
    for (const key of [KEY_B, KEY_B]) open.push(await openStream(port, STREAM, as(key)));
    expect(open.map((s) => s.status)).toEqual([200, 200, 200, 200]);
    const full = await openStream(port, STREAM, as(KEY_C));
    expect([full.status, full.headers['retry-after']]).toEqual([503, '5']);
    // The client at its cap still hears 429 about itself, not 503.
    expect((await openStream(port, STREAM, as(KEY_A))).status).toBe(429);
    open.shift()!.close();
    let again: OpenStream | undefined;
    await waitFor('a slot freed by the closed stream', async () => {
      again?.close();
      again = await openStream(port, STREAM, as(KEY_C));
      return again.status === 200;
    }, { everyMs: 50 });
    for (const stream of [...open, again!]) stream.close();
    const metrics = await call(port, '/metrics');
    expect(refusalCounts(metrics.body)).toMatchObject({ 'streams_per_client/429': 2, 'streams_instance/503': expect.any(Number) });
  });

  it('sends helmet\'s headers with the dashboard\'s CSP, and CORS only for API_CORS_ORIGINS', async () => {
    const page = await call(port, '/', { from: '127.0.0.17' });
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'self';script-src 'self';style-src 'self' 'sha256-3pRED1tOXas1FXFoPb9TGCjmYe9XQsmO9OV23khV2nY=';img-src 'self' data:;connect-src 'self';font-src 'self';object-src 'none';base-uri 'none';form-action 'self';frame-ancestors 'none'",
    );
    expect(page.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN', 'referrer-policy': 'no-referrer', 'cross-origin-opener-policy': 'same-origin' });
    expect(page.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    expect(page.headers['x-powered-by']).toBeUndefined();
    const docs = await call(port, '/api/docs', { from: '127.0.0.17' });
    expect(docs.headers['content-security-policy']).toContain("style-src 'self' 'unsafe-inline'");

    const allowed = await call(port, '/api/symbols', { from: '127.0.0.17', headers: { Origin: 'https://app.example.com', 'X-API-Key': KEY_A } });
    expect([allowed.status, allowed.headers['access-control-allow-origin']]).toEqual([200, 'https://app.example.com']);
    const other = await call(port, '/api/symbols', { from: '127.0.0.17', headers: { Origin: 'https://evil.example.com', 'X-API-Key': KEY_A } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await call(port, '/api/candles', {
      from: '127.0.0.17', method: 'OPTIONS', headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'x-api-key' },
    });
    expect(preflight.status).toBe(204);
    expect(String(preflight.headers['access-control-allow-headers']).toLowerCase()).toContain('x-api-key');
  });

  it('never writes a key or the key file into its log', async () => {
    const log = readFileSync(api.logFile, 'utf8');
    expect(log.length).toBeGreaterThan(0);
    for (const secret of [KEY_A, KEY_B, KEY_C, UNKNOWN_KEY, 'key-a-', 'the API\'s clients']) expect(log).not.toContain(secret);
  });
});
