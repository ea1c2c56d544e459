import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions, InjectThrottlerStorage, ThrottlerException, ThrottlerGuard, ThrottlerLimitDetail, ThrottlerModuleOptions, ThrottlerStorage,
} from '@nestjs/throttler';
import type { IncomingMessage } from 'node:http';
import { ApiMetrics } from '../metrics/api.metrics';
import { ApiClients } from './api-clients';
import { EXEMPT_PATH, RateLimits, rateLimitMessage } from './rate-limits';

/**
 * `API_RATE_LIMIT` requests per client in any `API_RATE_LIMIT_WINDOW_MS` (a sliding window, one
 * count across all routes), then 429 with `Retry-After` (seconds until the oldest counted request
 * leaves the window); refused requests are not counted. Global, so routes added later are limited.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly clients: ApiClients,
    private readonly rateLimits: RateLimits,
    private readonly metrics: ApiMetrics,
  ) {
    super(options, storage, reflector);
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return context.getType() !== 'http' || EXEMPT_PATH.test(context.switchToHttp().getRequest<{ path: string }>().path);
  }

  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    return this.clients.of(request as unknown as IncomingMessage).id;
  }

  /** One count per client for the whole API (the base class counts each route apart). */
  protected override generateKey(_context: ExecutionContext, tracker: string): string {
    return tracker;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    this.metrics.refuse('rate_limit', 429);
    this.rateLimits.noteRefused(detail.tracker, detail.timeToBlockExpire);
    throw new ThrottlerException(rateLimitMessage(detail.limit, detail.ttl, detail.timeToBlockExpire));
  }
}
