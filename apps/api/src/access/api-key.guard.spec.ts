import { ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadApiConfig } from '../config/api.config';
import { ApiMetrics } from '../metrics/api.metrics';
import { ApiClients } from './api-clients';
import { ApiKeyGuard } from './api-key.guard';
import { DashboardSession } from './dashboard-session';

const KEY = 'guard-key-0123456789abcdef';

describe('ApiKeyGuard', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cryptostream-guard-'));
  writeFileSync(join(dir, 'keys'), `${KEY}\n`);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const config = loadApiConfig({ API_KEYS_FILE: join(dir, 'keys') });
  const session = new DashboardSession(config);
  const guard = new ApiKeyGuard(new ApiClients(config), session, new ApiMetrics());
  const cookie = session.cookie(Date.now())!.split(';')[0];
  const allows = (method: string, path: string, headers: Record<string, string> = {}) => {
    const request = { method, path, headers, socket: { remoteAddress: '10.0.0.1' } };
    const context = { getType: () => 'http', switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
    try {
      return guard.canActivate(context);
    } catch (error) {
      if (error instanceof UnauthorizedException) return false;
      throw error;
    }
  };

  it('lets the dashboard\'s cookie read what the page reads, and nothing else under /api', () => {
    for (const path of ['/api/symbols', '/api/candles', '/api/candles/stream', '/api/pipeline']) expect([path, allows('GET', path, { cookie })]).toEqual([path, true]);
    for (const path of ['/api/v3/klines', '/api/trades', '/api/v3/exchangeInfo']) expect([path, allows('GET', path, { cookie })]).toEqual([path, false]);
    expect(allows('POST', '/api/candles', { cookie })).toBe(false);
  });

  it('lets a known key anywhere, and needs none outside /api', () => {
    expect(allows('GET', '/api/v3/klines', { 'x-mbx-apikey': KEY })).toBe(true);
    expect(allows('GET', '/api/v3/klines', { 'x-api-key': `${KEY}x` })).toBe(false);
    expect(allows('GET', '/', {})).toBe(true);
    expect(allows('GET', '/dashboard/dashboard.js', {})).toBe(true);
  });
});
