import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HttpLimits } from '../config/hardening.config';
import type { ApiMetrics, RefusalReason } from '../metrics/api.metrics';

/** How often Node checks sockets against the header and request timeouts (its default, 30 s, would let a slowloris socket live 40 s). */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

const CLIENT_ERRORS: Record<string, { status: number; text: string; reason: RefusalReason; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, text: 'Request Header Fields Too Large', reason: 'headers_too_large', message: 'the request line and headers are too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, text: 'Request Timeout', reason: 'request_timeout', message: 'the request did not arrive in time' },
};
const BAD_REQUEST = { status: 400, text: 'Bad Request', reason: 'bad_request' as const, message: 'the request is not valid HTTP/1.1' };

/**
 * Bounds what a slow or oversized request can hold: the head must arrive within
 * `headersTimeoutMs` and the whole request within `requestTimeoutMs` (408 otherwise, checked
 * every second), idle sockets close, and a head beyond `maxHeaderBytes` is refused with 431.
 * Set before `listen` (Node reads the check interval when it starts listening).
 */
export function limitHttpServer(server: Server & { maxHeaderSize?: number; connectionsCheckingInterval?: number }, limits: HttpLimits, metrics: ApiMetrics): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.timeout = limits.idleTimeoutMs;
  server.maxHeaderSize = limits.maxHeaderBytes;
  server.connectionsCheckingInterval = TIMEOUT_CHECK_INTERVAL_MS;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A peer that went away needs no answer, and is no refusal.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const refusal = CLIENT_ERRORS[error.code ?? ''] ?? BAD_REQUEST;
    metrics.refuse(refusal.reason, refusal.status);
    const body = JSON.stringify({ statusCode: refusal.status, error: refusal.text, message: refusal.message });
    const answer = `HTTP/1.1 ${refusal.status} ${refusal.text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
    // Closed once written, not half-open until a slow peer closes its side.
    socket.end(answer, () => socket.destroy());
  });
}
