import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { API_CONFIG, ApiConfig } from '../config/api.config';
import { ApiClients } from './api-clients';
import { ApiKeyGuard } from './api-key.guard';
import { DashboardSession } from './dashboard-session';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimits, THROTTLER_NAME } from './rate-limits';
import { StreamAdmission } from './stream-admission';
import { UpgradeGate } from './upgrade-gate';

/**
 * Who may use the API and how much: per-client rate limits, then API keys (both global guards,
 * in that order, so that guessing keys is rate-limited too), the stream caps, the dashboard's
 * session, and the same checks for WebSocket upgrades ({@link UpgradeGate}).
 */
@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [API_CONFIG],
      // blockDuration 0: a sliding window that refuses while the window is full, not a penalty box.
      useFactory: (config: ApiConfig) => ({ throttlers: [{ name: THROTTLER_NAME, ttl: config.access.rateLimitWindowMs, limit: config.access.rateLimit, blockDuration: 0 }] }),
    }),
  ],
  providers: [
    ApiClients, DashboardSession, RateLimits, StreamAdmission, UpgradeGate,
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
  ],
  exports: [ApiClients, DashboardSession, RateLimits, StreamAdmission, UpgradeGate],
})
export class AccessModule {}
