import { Inject, Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { API_CONFIG, ApiConfig } from '../config/api.config';

export const DASHBOARD_COOKIE = 'cs_dashboard';

/**
 * The dashboard's way through API keys. The page at `/` sets a cookie `<expiresMs>.<HMAC>`
 * (HttpOnly, SameSite=Strict, Path=/api), signed with a secret derived from the keys file, so
 * that every instance mounting the same Secret accepts it; the browser sends it with the page's
 * fetches and its EventSource, which cannot send headers. It allows only the dashboard's reads
 * (see ApiKeyGuard), counted by address like any key-less client. It is no secret: whoever loads
 * the page gets one. Keys keep everything else closed and give a client limits of its own.
 */
@Injectable()
export class DashboardSession {
  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {}

  /** The `Set-Cookie` value for a page served at `nowMs`; undefined when no keys are required. */
  cookie(nowMs: number): string | undefined {
    const keys = this.config.access.apiKeys;
    if (!keys) return undefined;
    const expiresMs = nowMs + this.config.access.dashboardSessionMs;
    const maxAge = Math.floor(this.config.access.dashboardSessionMs / 1000);
    return `${DASHBOARD_COOKIE}=${expiresMs}.${this.#sign(expiresMs)}; Max-Age=${maxAge}; Path=/api; HttpOnly; SameSite=Strict`;
  }

  /** True when the request carries an unexpired cookie this API (or one with the same keys) signed. */
  holds(request: IncomingMessage, nowMs: number): boolean {
    if (!this.config.access.apiKeys) return false;
    const match = new RegExp(`(?:^|;\\s*)${DASHBOARD_COOKIE}=(\\d{1,16})\\.([0-9a-f]{64})(?:;|$)`).exec(request.headers.cookie ?? '');
    if (!match || Number(match[1]) <= nowMs) return false;
    return timingSafeEqual(Buffer.from(match[2], 'hex'), Buffer.from(this.#sign(Number(match[1])), 'hex'));
  }

  #sign(expiresMs: number): string {
    return createHmac('sha256', this.config.access.apiKeys!.sessionSecret).update(String(expiresMs)).digest('hex');
  }
}
