import { Injectable, NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { ApiMetrics } from './api.metrics';

const ROUTES = new Set(['/', '/api/candles', '/api/symbols', '/api/pipeline', '/health/ready', '/health/live', '/metrics']);

/** Times every request by route (streams are left out: they last as long as the client stays). */
@Injectable()
export class RequestTimingMiddleware implements NestMiddleware {
  constructor(private readonly metrics: ApiMetrics) {}

  use(request: IncomingMessage & { originalUrl?: string }, response: ServerResponse, next: () => void): void {
    const path = (request.originalUrl ?? request.url ?? '').split('?')[0];
    if (path.endsWith('/stream')) return next();
    const started = performance.now();
    response.on('finish', () => {
      const route = ROUTES.has(path) ? path : 'other';
      this.metrics.requestSeconds.observe({ route, status: String(response.statusCode) }, (performance.now() - started) / 1000);
    });
    next();
  }
}
