import { ThrottlerStorageService } from '@nestjs/throttler';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import { loadApiConfig } from '../config/api.config';
import { ApiMetrics } from '../metrics/api.metrics';
import {  } from '../testing/loopback-client';
import { ApiClients } from './api-clients';
import { DashboardSession } from './dashboard-session';
import { RateLimits } from './rate-limits';
import { StreamAdmission } from './stream-admission';
import { UpgradeGate } from './upgrade-gate';
import { waitFor } from '@cryptostream/testing';

const KEY_A = 'ws-key-a-0123456789abcdef';
const KEY_B = 'ws-key-b-0123456789abcdef';

/** What a WebSocket client got: the open socket and its first message, or the refusal's status and headers. */
function connect(port: number, path: string, options: { from?: string; key?: string } = {}) {
  return new Promise<{ status: number; retryAfter?: string; body?: string; socket?: WebSocket; first?: string }>((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`, { localAddress: options.from, headers: options.key ? { 'X-MBX-APIKEY': options.key } : {} });
    socket.once('message', (data) => resolve({ status: 101, socket, first: String(data) }));
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'], body }));
    });
    socket.once('error', (error) => reject(error));
  });
}

describe('UpgradeGate: the API\'s limits for WebSocket upgrades (a real HTTP server, real ws peers)', () => {
  let dir: string;
  let server: Server;
  let port: number;
  let metrics: ApiMetrics;
  const opened: WebSocket[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cryptostream-upgrade-'));
    writeFileSync(join(dir, 'keys'), `${KEY_A}\n${KEY_B}\n`);
    const config = loadApiConfig({ API_KEYS_FILE: join(dir, 'keys'), API_RATE_LIMIT: '6', API_MAX_STREAMS: '3', API_MAX_STREAMS_PER_CLIENT: '2' });
    metrics = new ApiMetrics();
    const clients = new ApiClients(config);
    const gate = new UpgradeGate(new RateLimits(config, new ThrottlerStorageService(), metrics), clients, new DashboardSession(config), new StreamAdmission(config, metrics), metrics);
    const wss = new WebSocketServer({ noServer: true });
    server = createServer((_request, response) => response.end());
    server.on('upgrade', async (request, socket, head) => {
      const upgrade = await gate.admitOrRefuse(request, socket, { requireKey: !request.url?.startsWith('/public') });
      if (!upgrade) return;
      wss.handleUpgrade(request, socket, head, (ws) => {
        ws.once('close', upgrade.release);
        ws.send(upgrade.client.id);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    for (const socket of opened) socket.terminate();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const keep = (result: Awaited<ReturnType<typeof connect>>) => {
    if (result.socket) opened.push(result.socket);
    return result;
  };

  it('needs a known key unless the stream is public, and tells clients apart by key', async () => {
    const refused = await connect(port, '/ws', { from: '127.0.0.31' });
    expect([refused.status, JSON.parse(refused.body!).message]).toEqual([401, 'an API key is needed: send it in X-API-Key or X-MBX-APIKEY']);
    expect((await connect(port, '/ws', { from: '127.0.0.31', key: 'not-one-of-the-keys-000' })).status).toBe(401);
    const keyed = keep(await connect(port, '/ws', { from: '127.0.0.31', key: KEY_A }));
    expect([keyed.status, keyed.first]).toEqual([101, expect.stringMatching(/^key:[0-9a-f]{16}$/)]);
    const open = keep(await connect(port, '/public', { from: '127.0.0.31' }));
    expect([open.status, open.first]).toEqual([101, 'ip:127.0.0.31']);
  });

  it('caps streams per client (429) and per instance (503) with Retry-After, and frees the slot on close', async () => {
    // Held now: one of KEY_A, one public of 127.0.0.31: the instance holds 3 at most.
    keep(await connect(port, '/ws', { from: '127.0.0.32', key: KEY_A }));
    const third = await connect(port, '/ws', { from: '127.0.0.32', key: KEY_A });
    expect([third.status, third.retryAfter]).toEqual([429, '5']);
    const full = await connect(port, '/ws', { from: '127.0.0.32', key: KEY_B });
    expect([full.status, full.retryAfter, JSON.parse(full.body!).message]).toEqual([503, '5', 'this instance holds 3 live streams, the most it serves; retry later or elsewhere']);
    opened.shift()!.close();
    let next: Awaited<ReturnType<typeof connect>> | undefined;
    await waitFor('a freed slot', async () => (next = await connect(port, '/ws', { from: '127.0.0.32', key: KEY_B })).status === 101, { timeoutMs: 10_000, everyMs: 50 });
    keep(next!);
  });

  it('counts upgrades against the client\'s rate limit', async () => {
    const statuses: number[] = [];
    for (let n = 0; n < 7; n++) statuses.push((await connect(port, '/ws', { from: '127.0.0.33' })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429]);
    const counts = await metrics.refused.get();
    const count = (reason: string, status: string) => counts.values.find((v) => v.labels['reason'] === reason && v.labels['status'] === status)?.value;
    expect([count('rate_limit', '429'), count('streams_per_client', '429'), count('api_key', '401')]).toEqual([1, 1, 8]);
    expect(count('streams_instance', '503')).toBeGreaterThanOrEqual(1);
  });
});
