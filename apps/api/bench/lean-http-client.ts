import { connect, Socket } from 'node:net';

/** An answer as the benchmark needs it: the status and how many body bytes came. */
export interface LeanAnswer {
  readonly status: number;
  readonly bytes: number;
}

/** Kept-alive sockets idle this long are not lent again: node's server closes them after 5 s, and a request racing that close would fail. */
const IDLE_CLOSE_MS = 4_000;
const CONTENT_LENGTH = /\r\ncontent-length: *(\d+)/i;

/** What one socket is waiting for: the head, then `remaining` body bytes. */
interface Exchange {
  head: string;
  status: number;
  remaining: number;
  bytes: number;
  readonly resolve: (answer: LeanAnswer) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * GETs over kept-alive HTTP/1.1 sockets with as little work per answer as the measurement
 * allows: the head is read for the status and Content-Length, the body only counted, every read
 * into one reused buffer. The load generator shares this machine's two cores with the API and
 * MySQL: node:http's client spends CPU on each large page, and its many small reads make V8 mark
 * the heap often for their external memory, pauses that would be counted as the API's latency.
 * Answers without Content-Length (chunked) are not understood and fail.
 */
export class LeanHttpClient {
  /** Idle sockets, the most recently used last. */
  readonly #idle: Array<{ readonly socket: Socket; readonly sinceMs: number }> = [];
  readonly #exchanges = new Map<Socket, Exchange>();
  readonly #all = new Set<Socket>();
  /** Every socket reads into it; nothing is kept from a read once its callback returns. */
  readonly #readBuffer = Buffer.allocUnsafe(256 * 1024);

  constructor(
    private readonly port: number,
    private readonly host = '127.0.0.1',
  ) {}

  /** GET `path`; fails after `timeoutMs` without the whole answer, closing that socket. */
  get(path: string, timeoutMs = 10_000): Promise<LeanAnswer> {
    const socket = this.#takeIdle() ?? this.#open();
    return new Promise<LeanAnswer>((resolve, reject) => {
      const timer = setTimeout(() => this.#fail(socket, new Error(`no whole answer within ${timeoutMs} ms`)), timeoutMs);
      this.#exchanges.set(socket, { head: '', status: 0, remaining: -1, bytes: 0, resolve, reject, timer });
      socket.write(`GET ${path} HTTP/1.1\r\nhost: ${this.host}:${this.port}\r\nconnection: keep-alive\r\n\r\n`, 'latin1');
    });
  }

  close(): void {
    for (const socket of this.#all) socket.destroy();
    this.#all.clear();
    this.#idle.length = 0;
  }

  #takeIdle(): Socket | undefined {
    const nowMs = performance.now();
    for (let idle = this.#idle.pop(); idle !== undefined; idle = this.#idle.pop()) {
      if (!idle.socket.destroyed && nowMs - idle.sinceMs < IDLE_CLOSE_MS) return idle.socket;
      idle.socket.destroy();
    }
    return undefined;
  }

  #open(): Socket {
    const socket: Socket = connect({
      port: this.port, host: this.host, noDelay: true,
      onread: {
        buffer: this.#readBuffer,
        callback: (length: number) => {
          this.#read(socket, length);
          return true; // keep reading
        },
      },
    });
    this.#all.add(socket);
    socket.on('error', (error) => this.#fail(socket, error));
    socket.on('close', () => this.#fail(socket, new Error('connection closed before the answer ended')));
    return socket;
  }

  #read(socket: Socket, length: number): void {
    const exchange = this.#exchanges.get(socket);
    if (exchange === undefined) return;
    let body = length;
    if (exchange.remaining < 0) {
      // Only the head is decoded; a head split across reads is kept as text until it ends.
      const text = exchange.head + this.#readBuffer.toString('latin1', 0, Math.min(length, 4096));
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) {
        exchange.head = text;
        return;
      }
      const contentLength = CONTENT_LENGTH.exec(text.slice(0, end));
      exchange.status = Number(text.slice(9, 12));
      if (contentLength === null) return this.#fail(socket, new Error(`answer without Content-Length (HTTP ${exchange.status})`));
      exchange.remaining = Number(contentLength[1]);
      body = length - (end + 4 - exchange.head.length);
    }
    exchange.bytes += body;
    exchange.remaining -= body;
    if (exchange.remaining > 0) return;
    clearTimeout(exchange.timer);
    this.#exchanges.delete(socket);
    this.#idle.push({ socket, sinceMs: performance.now() });
    exchange.resolve({ status: exchange.status, bytes: exchange.bytes });
  }

  #fail(socket: Socket, error: Error): void {
    socket.destroy();
    this.#all.delete(socket);
    const exchange = this.#exchanges.get(socket);
    if (exchange === undefined) return;
    clearTimeout(exchange.timer);
    this.#exchanges.delete(socket);
    exchange.reject(error);
  }
}
