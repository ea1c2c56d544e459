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
 * the same throttler storage, key and window as RateLimitGuard, so it is one count per client;
 * and the quick refusal, ahead of Nest's router, of clients whose window is known to be full.
 */
@Injectable()
export class RateLimits {
  /** Clients refused lately, and until when (epoch ms): their requests are refused before Nest routes them. */
  readonly #refusedUntil = new Map<string, number>();

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
    this.noteRefused(clientId, count.timeToBlockExpire);
    return { message: rateLimitMessage(rateLimit, rateLimitWindowMs, count.timeToBlockExpire), retryAfterS: count.timeToBlockExpire };
  }

  /**
   * Remembers that a client's window is full for `retryAfterS` (when its oldest counted request
   * leaves the window), so that {@link refusedFor} can turn its next requests away cheaply.
   */
  noteRefused(clientId: string, retryAfterS: number): void {
    const now = Date.now();
    if (this.#refusedUntil.size >= 10_000) for (const [id, until] of this.#refusedUntil) if (until <= now) this.#refusedUntil.delete(id);
    this.#refusedUntil.set(clientId, now + retryAfterS * 1000);
  }

  /** Seconds the client must still wait, when it was refused lately and its window is still full. */
  refusedFor(clientId: string): number | undefined {
    const until = this.#refusedUntil.get(clientId);
    if (until === undefined) return undefined;
    const leftMs = until - Date.now();
    if (leftMs > 0) return Math.ceil(leftMs / 1000);
    this.#refusedUntil.delete(clientId);
    return undefined;
  }

  /**
   * Express middleware before Nest's router: a client refused lately gets its 429 here, without
   * routing, the guards and the exception filter, whose cost under a flood from one client is
   * taken from every other client's share of the CPU. The count itself stays in RateLimitGuard.
   */
  refuseLimited(clients: ApiClients) {
    return (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
      if (EXEMPT_PATH.test(request.url ?? '')) return next();
      const retryAfterS = this.refusedFor(clients.of(request).id);
      if (retryAfterS === undefined) return next();
      this.metrics.refuse('rate_limit', 429);
      tooManyRequests(response, rateLimitMessage(this.config.access.rateLimit, this.config.access.rateLimitWindowMs, retryAfterS), retryAfterS);
    };
  }

  /** Express middleware for routes mounted below Nest: 429 with `Retry-After` when the client's window is full. */
  middleware(clients: ApiClients) {
    return (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void): void => {
      this.hit(clients.of(request).id).then((limited) => {
        if (!limited) return next();
        tooManyRequests(response, limited.message, limited.retryAfterS);
      }, next);
    };
  }
}

/** Probes and scrapes are never limited: a busy client must not make the instance look down. */
export const EXEMPT_PATH = /^\/(health\/|metrics(\?|$))/;

function tooManyRequests(response: ServerResponse, message: string, retryAfterS: number): void {
  const body = JSON.stringify({ statusCode: 429, message, error: 'Too Many Requests' });
  response.writeHead(429, { 'Retry-After': String(retryAfterS), 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}

export const rateLimitMessage = (limit: number, windowMs: number, retryAfterS: number): string =>
  `rate limit: at most ${limit} requests in ${windowMs / 1000} s a client; retry after ${retryAfterS} s`;
