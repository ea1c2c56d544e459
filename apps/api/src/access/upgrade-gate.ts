import { Injectable } from '@nestjs/common';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiMetrics } from '../metrics/api.metrics';
import { ApiClient, ApiClients } from './api-clients';
import { keyProblem } from './api-key.guard';
import { DashboardSession } from './dashboard-session';
import { RateLimits } from './rate-limits';
import { STREAM_RETRY_AFTER_S, StreamAdmission } from './stream-admission';
import { isRefusal } from './stream-slots';

/** An upgrade let through: the stream holds its slot until `release` (call it when the socket closes). */
export interface AdmittedUpgrade {
  readonly admitted: true;
  readonly client: ApiClient;
  release(): void;
}

export interface RefusedUpgrade {
  readonly admitted: false;
  readonly status: 401 | 429 | 503;
  readonly message: string;
  readonly retryAfterS?: number;
}

export interface UpgradeOptions {
  /** Needs a key of `API_KEYS_FILE` when it is set (default true, as `/api/*`); false for public streams. */
  readonly requireKey?: boolean;
}

/**
 * The limits of HTTP requests and SSE streams, for WebSocket upgrades (which pass no Nest guard):
 * the client's rate limit (the same count as its HTTP requests), its key when keys are required,
 * then a slot under the stream caps shared with SSE. Use it in the server's `upgrade` listener:
 *
 *   const upgrade = await gate.admitOrRefuse(request, socket);
 *   if (!upgrade) return;                       // refused, answered and closed
 *   wss.handleUpgrade(request, socket, head, (ws) => { ws.once('close', upgrade.release); ... });
 */
@Injectable()
export class UpgradeGate {
  constructor(
    private readonly rateLimits: RateLimits,
    private readonly clients: ApiClients,
    private readonly session: DashboardSession,
    private readonly streams: StreamAdmission,
    private readonly metrics: ApiMetrics,
  ) {}

  async admit(request: IncomingMessage, options: UpgradeOptions = {}): Promise<AdmittedUpgrade | RefusedUpgrade> {
    const client = this.clients.of(request);
    const limited = await this.rateLimits.hit(client.id);
    if (limited) return { admitted: false, status: 429, ...limited };
    if (options.requireKey ?? true) {
      const problem = keyProblem(client, request, this.clients, this.session, false);
      if (problem !== undefined) {
        this.metrics.refuse('api_key', 401);
        return { admitted: false, status: 401, message: problem };
      }
    }
    const slot = this.streams.take(client.id);
    if (isRefusal(slot)) return { admitted: false, status: slot.status, message: slot.message, retryAfterS: STREAM_RETRY_AFTER_S };
    return { admitted: true, client, release: () => slot.release() };
  }

  /** Answers a refused upgrade with its status as plain HTTP on the raw socket, and closes it. */
  refuse(socket: Duplex, refusal: RefusedUpgrade): void {
    const body = JSON.stringify({ statusCode: refusal.status, error: STATUS_CODES[refusal.status], message: refusal.message });
    const retryAfter = refusal.retryAfterS === undefined ? '' : `Retry-After: ${refusal.retryAfterS}\r\n`;
    socket.end(`HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\n${retryAfter}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }

  /** {@link admit}, answering and closing the socket when refused (then undefined). */
  async admitOrRefuse(request: IncomingMessage, socket: Duplex, options: UpgradeOptions = {}): Promise<AdmittedUpgrade | undefined> {
    const admission = await this.admit(request, options);
    if (admission.admitted) return admission;
    this.refuse(socket, admission);
    return undefined;
  }
}
