import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { FakeMarket } from './fake-market';
import { hostileFrame } from './hostile-frames';
import { aggTradeEvent, tradeEvent } from './stream-events';

export interface StreamHubOptions {
  /** Binance sends a ping frame every 20 s… */
  readonly pingIntervalMs?: number;
  /** …and disconnects a client that has not ponged within a minute. */
  readonly pongTimeoutMs?: number;
  /** Binance disconnects every connection at 24 hours. */
  readonly maxConnectionAgeMs?: number;
  /** At most 1024 streams per connection. */
  readonly maxStreamsPerConnection?: number;
  /** How often new trades are pushed. */
  readonly tickMs?: number;
}

/** What tests can read about the WebSocket side. */
export interface StreamHubStats {
  connectionsOpened: number;
  rejectedConnections: number;
  pingsSent: number;
  pongsMatched: number;
  pongsMismatched: number;
  closedForMissingPong: number;
  closedForAge: number;
  framesSent: number;
}

interface Connection {
  readonly socket: WebSocket;
  readonly combined: boolean;
  /** stream name -> index of the next trade to send. */
  readonly cursors: Map<string, number>;
  readonly openedAtMs: number;
  /** Until then the connection gets nothing (no trades, no pings) and its trades are lost. */
  silentUntilMs: number;
  pendingPing?: { payload: Buffer; sentAtMs: number };
  timers: NodeJS.Timeout[];
}

const STREAM_NAME = /^([a-z0-9_-]+)@(trade|aggTrade)$/;

/**
 * Binance's market-data WebSocket endpoint: raw streams at `/ws/<stream>`, combined streams at
 * `/stream?streams=a/b` (wrapped as `{"stream","data"}`), SUBSCRIBE/UNSUBSCRIBE/LIST_SUBSCRIPTIONS,
 * ping frames that must be answered with the same payload, the 24-hour limit, and on demand:
 * dropped connections, silence, `serverShutdown`, hostile frames.
 */
export class FakeStreamHub {
  readonly stats: StreamHubStats = { connectionsOpened: 0, rejectedConnections: 0, pingsSent: 0, pongsMatched: 0, pongsMismatched: 0, closedForMissingPong: 0, closedForAge: 0, framesSent: 0 };
  readonly #server = new WebSocketServer({ noServer: true });
  readonly #connections = new Set<Connection>();
  readonly #options: Required<StreamHubOptions>;
  readonly #tick: NodeJS.Timeout;
  #dropTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly market: FakeMarket,
    { pingIntervalMs = 20_000, pongTimeoutMs = 60_000, maxConnectionAgeMs = 24 * 3_600_000, maxStreamsPerConnection = 1024, tickMs = 20 }: StreamHubOptions = {},
  ) {
    this.#options = { pingIntervalMs, pongTimeoutMs, maxConnectionAgeMs, maxStreamsPerConnection, tickMs };
    this.#tick = setInterval(() => this.#pushNewTrades(), tickMs);
  }

  get openConnections(): number {
    return this.#connections.size;
  }

  /** Streams of every open connection. */
  subscriptions(): string[][] {
    return [...this.#connections].map((connection) => [...connection.cursors.keys()]);
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'ws://fake');
    let streams: string[];
    let combined: boolean;
    if (url.pathname === '/stream') {
      streams = (url.searchParams.get('streams') ?? '').split('/').filter(Boolean);
      combined = true;
    } else if (url.pathname.startsWith('/ws')) {
      streams = url.pathname.slice(4).split('/').filter(Boolean);
      combined = false;
    } else {
      return this.#reject(socket, 404, 'Not Found');
    }
    if (streams.length > this.#options.maxStreamsPerConnection) return this.#reject(socket, 400, 'Bad Request');
    this.#server.handleUpgrade(request, socket, head, (ws) => this.#open(ws, streams, combined));
  }

  /** Drops every connection without a close frame, as a network failure does. */
  dropConnections(): number {
    const count = this.#connections.size;
    for (const connection of this.#connections) connection.socket.terminate();
    return count;
  }

  /** Drops every connection every `everyMs` (undefined stops it). */
  dropEvery(everyMs: number | undefined): void {
    clearInterval(this.#dropTimer);
    this.#dropTimer = everyMs ? setInterval(() => this.dropConnections(), everyMs) : undefined;
  }

  /**
   * The connections open now get nothing (no trades, no pings) for `ms` while staying open; the
   * trades of that time are lost to them. New connections are not affected.
   */
  silence(ms: number): void {
    for (const connection of this.#connections) connection.silentUntilMs = Date.now() + ms;
  }

  /** Sends a `serverShutdown` event on every connection and closes them `closeAfterMs` later. */
  serverShutdown(closeAfterMs = 1000): void {
    for (const connection of this.#connections) {
      this.#send(connection, JSON.stringify({ e: 'serverShutdown', E: Date.now() }));
      connection.timers.push(setTimeout(() => connection.socket.close(1001, 'server shutdown'), closeAfterMs));
    }
  }

  /** Sends `count` malformed or hostile frames on every connection; returns their kinds. */
  sendHostileFrames(count: number): string[] {
    const kinds: string[] = [];
    for (const connection of this.#connections) {
      const stream = connection.cursors.keys().next().value ?? 'btcusdt@aggTrade';
      for (let index = 0; index < count; index += 1) {
        const { frame, kind } = hostileFrame(index, stream);
        this.#send(connection, frame);
        kinds.push(kind);
      }
    }
    return kinds;
  }

  close(): void {
    clearInterval(this.#tick);
    clearInterval(this.#dropTimer);
    for (const connection of this.#connections) connection.socket.terminate();
    this.#server.close();
  }

  #open(socket: WebSocket, streams: readonly string[], combined: boolean): void {
    const connection: Connection = { socket, combined, cursors: new Map(), openedAtMs: Date.now(), silentUntilMs: 0, timers: [] };
    this.#subscribe(connection, streams);
    this.#connections.add(connection);
    this.stats.connectionsOpened += 1;
    connection.timers.push(setInterval(() => this.#ping(connection), this.#options.pingIntervalMs));
    connection.timers.push(
      setTimeout(() => {
        this.stats.closedForAge += 1;
        socket.close(1000, 'connection age limit');
      }, this.#options.maxConnectionAgeMs),
    );
    socket.on('pong', (payload) => {
      if (connection.pendingPing && payload.equals(connection.pendingPing.payload)) {
        this.stats.pongsMatched += 1;
        connection.pendingPing = undefined;
      } else {
        this.stats.pongsMismatched += 1;
      }
    });
    socket.on('message', (data) => this.#onRequest(connection, data.toString()));
    socket.on('close', () => this.#forget(connection));
    socket.on('error', () => this.#forget(connection));
  }

  #subscribe(connection: Connection, streams: readonly string[]): void {
    for (const stream of streams) {
      const match = STREAM_NAME.exec(stream);
      const symbol = match?.[1].toUpperCase();
      let cursor = 0;
      if (match && symbol && this.market.has(symbol)) {
        const counts = this.market.visibleCounts(symbol);
        cursor = match[2] === 'trade' ? counts.trades : counts.aggTrades;
      }
      if (!connection.cursors.has(stream)) connection.cursors.set(stream, cursor);
    }
  }

  #onRequest(connection: Connection, text: string): void {
    let request: { method?: unknown; params?: unknown; id?: unknown };
    try {
      request = JSON.parse(text);
    } catch {
      this.#send(connection, JSON.stringify({ error: { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' } }));
      return;
    }
    const id = request.id ?? null;
    const params = Array.isArray(request.params) ? request.params.map(String) : [];
    switch (request.method) {
      case 'SUBSCRIBE':
        this.#subscribe(connection, params);
        return this.#send(connection, JSON.stringify({ result: null, id }));
      case 'UNSUBSCRIBE':
        for (const stream of params) connection.cursors.delete(stream);
        return this.#send(connection, JSON.stringify({ result: null, id }));
      case 'LIST_SUBSCRIPTIONS':
        return this.#send(connection, JSON.stringify({ result: [...connection.cursors.keys()], id }));
      default:
        return this.#send(connection, JSON.stringify({ error: { code: 2, msg: `Invalid request: unknown method` }, id }));
    }
  }

  #ping(connection: Connection): void {
    if (Date.now() < connection.silentUntilMs) return;
    if (connection.pendingPing && Date.now() - connection.pendingPing.sentAtMs > this.#options.pongTimeoutMs) {
      this.stats.closedForMissingPong += 1;
      connection.socket.terminate();
      return;
    }
    // The deadline runs from the first unanswered ping; each ping carries a fresh payload.
    const payload = randomBytes(8);
    connection.pendingPing = { payload, sentAtMs: connection.pendingPing?.sentAtMs ?? Date.now() };
    connection.socket.ping(payload);
    this.stats.pingsSent += 1;
  }

  #pushNewTrades(): void {
    for (const connection of this.#connections) {
      const silent = Date.now() < connection.silentUntilMs;
      for (const [stream, cursor] of connection.cursors) {
        const match = STREAM_NAME.exec(stream);
        const symbol = match?.[1].toUpperCase();
        if (!match || !symbol || !this.market.has(symbol)) continue;
        const tape = this.market.tape(symbol);
        const counts = this.market.visibleCounts(symbol);
        const end = match[2] === 'trade' ? counts.trades : counts.aggTrades;
        if (!silent) {
          for (let index = cursor; index < end; index += 1) {
            const data = match[2] === 'trade' ? tradeEvent(tape.trades[index]) : aggTradeEvent(symbol, tape.aggTrades[index]);
            this.#send(connection, JSON.stringify(connection.combined ? { stream, data } : data));
          }
        }
        connection.cursors.set(stream, end);
      }
    }
  }

  #send(connection: Connection, frame: string | Buffer): void {
    if (connection.socket.readyState !== WebSocket.OPEN) return;
    connection.socket.send(frame, { binary: false });
    this.stats.framesSent += 1;
  }

  #forget(connection: Connection): void {
    for (const timer of connection.timers) clearTimeout(timer);
    this.#connections.delete(connection);
  }

  #reject(socket: Duplex, status: number, text: string): void {
    this.stats.rejectedConnections += 1;
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }
}
