import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';
import { API_KEY_HEADERS } from '../access/client-identity';

/**
 * CORS for `API_CORS_ORIGINS`: only those origins may read answers from a browser, with GET and
 * HEAD, sending an API key and the stream's resume id; undefined (CORS off) when none is listed.
 */
export function corsOptions(origins: readonly string[]): CorsOptions | undefined {
  if (origins.length === 0) return undefined;
  return {
    origin: [...origins],
    methods: ['GET', 'HEAD'],
    allowedHeaders: [...API_KEY_HEADERS, 'Last-Event-ID', 'If-None-Match'],
    exposedHeaders: ['ETag', 'Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'],
    maxAge: 600,
  };
}
