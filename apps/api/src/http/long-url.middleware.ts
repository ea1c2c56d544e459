import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiMetrics } from '../metrics/api.metrics';

/**
 * Refuses a request target longer than `maxUrlBytes` with 414 before anything parses it. Node
 * reads the request line as latin1, one character a byte, so the length is the byte count.
 */
export function refuseLongUrls(maxUrlBytes: number, metrics: ApiMetrics) {
  return (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    const length = request.url?.length ?? 0;
    if (length <= maxUrlBytes) return next();
    metrics.refuse('url_too_long', 414);
    const body = JSON.stringify({ statusCode: 414, error: 'URI Too Long', message: `the request target is ${length} bytes, at most ${maxUrlBytes} are read` });
    response.writeHead(414, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
    response.end(body);
  };
}
