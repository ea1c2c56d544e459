import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { ApiMetrics } from '../metrics/api.metrics';
import { ApiClient, ApiClients } from './api-clients';
import { API_KEY_HEADERS } from './client-identity';
import { DashboardSession } from './dashboard-session';

/** What the dashboard reads: allowed with its session cookie when keys are required. */
const DASHBOARD_READS = new Set(['/api/symbols', '/api/candles', '/api/candles/stream', '/api/pipeline']);

/**
 * Why a request may not go on when `API_KEYS_FILE` is set, or undefined when it may: a known key
 * passes; an unknown key never does; no key passes only on the dashboard's reads with its cookie.
 */
export function keyProblem(client: ApiClient, request: IncomingMessage, clients: ApiClients, session: DashboardSession, dashboardRead: boolean): string | undefined {
  if (!clients.keysRequired || client.keyed) return undefined;
  if (client.unknownKey) return 'the API key is not known';
  if (dashboardRead && session.holds(request, Date.now())) return undefined;
  return `an API key is needed: send it in ${API_KEY_HEADERS.join(' or ')}`;
}

/** Paths that need a key: the API's own and Binance's futures market-data paths (`/api/v3` is under `/api/`). */
const KEYED_PREFIXES = ['/api/', '/fapi/', '/dapi/'];

/** `/api/*` (and `/fapi/*`, `/dapi/*`) needs a key of `API_KEYS_FILE` when it is set (global, so every route added later is covered). */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly clients: ApiClients,
    private readonly session: DashboardSession,
    private readonly metrics: ApiMetrics,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http' || !this.clients.keysRequired) return true;
    const request = context.switchToHttp().getRequest<IncomingMessage & { path: string; method: string }>();
    if (!KEYED_PREFIXES.some((prefix) => request.path.startsWith(prefix))) return true;
    const dashboardRead = (request.method === 'GET' || request.method === 'HEAD') && DASHBOARD_READS.has(request.path);
    const problem = keyProblem(this.clients.of(request), request, this.clients, this.session, dashboardRead);
    if (problem === undefined) return true;
    this.metrics.refuse('api_key', 401);
    throw new UnauthorizedException(problem);
  }
}
