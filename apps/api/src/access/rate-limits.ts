import { Inject, Injectable } from '@nestjs/common';
import { InjectThrottlerStorage, ThrottlerStorage } from '@nestjs/throttler';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_CONFIG, ApiConfig } from '../config/api.config';
import { ApiMetrics } from '../metrics/api.metrics';
import { ApiClients } from './api-clients';

/** The name RateLimitGuard's one throttler has: its counts and these are the same. */
export const THROTTLER_NAME = 'default';

/** A refused count: the message and how long to wait. */
export interface RateLimited {
  readonly message: string;
  readonly retryAfterS: number;
}

/**
 * The client's rate limit for what passes no Nest guard (WebSocket upgrades, the OpenAPI UI):
 * the same throttler storage, key and window as RateLimitGuard, so it is one count per client.
 */
@Injectable()
export class RateLimits {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @InjectThrottlerStorage() private readonly counts: ThrottlerStorage,
    private readonly metrics: ApiMetrics,
  ) {}

  /** Counts one request of the client; a refusal (counted in the metrics) when its window is full. */
  async hit(clientId: string): Promise<RateLimited | undefined> {
    const { rateLimit, rateLimitWindowMs } = this.config.access;
    const count = await this.counts.increment(clientId, rateLimitWindowMs, rateLimit, 0, THROTTLER_NAME);
    if (!count.isBlocked) return undefined;
    this.metrics.refuse('rate_limit', 429);
    return { message: rateLimitMessage(rateLimit, rateLimitWindowMs, count.timeToBlockExpire), retryAfterS: count.timeToBlockExpire };
  }

  /** Express middleware for routes mounted below Nest: 429 with `Retry-After` when the client's window is full. */
  middleware(clients: ApiClients) {
    return (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void): void => {
      this.hit(clients.of(request).id).then((limited) => {
        if (!limited) return next();
        const body = JSON.stringify({ statusCode: 429, message: limited.message });
        response.writeHead(429, { 'Retry-After': String(limited.retryAfterS), 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
        response.end(body);
      }, next);
    };
  }
}

export const rateLimitMessage = (limit: number, windowMs: number, retryAfterS: number): string =>
  `rate limit: at most ${limit} requests in ${windowMs / 1000} s a client; retry after ${retryAfterS} s`;
