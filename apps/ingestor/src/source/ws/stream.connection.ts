import { backoffDelayMs } from '@cryptostream/service-runtime';
import { Logger } from '@nestjs/common';
import { RawData, WebSocket } from 'ws';

export interface StreamConnectionOptions {
  readonly url: string;
  readonly reconnectBaseMs: number;
  readonly reconnectMaxMs: number;
  /** Reconnect when no frame (data or ping) arrived for this long. */
  readonly silenceTimeoutMs: number;
  /** Reconnect proactively at this age (Binance closes connections at 24 hours). */
  readonly maxConnectionAgeMs: number;
  /** Frames larger than this close the connection (protects memory); bigger than any hostile test frame. */
  readonly maxFrameBytes?: number;
}

export interface StreamConnectionHandlers {
  /** A data frame (text, or a binary frame as bytes). */
  onFrame(frame: RawData, isBinary: boolean, receivedAtMs: number): void;
  /** The connection is open; `reconnected` is false only for the very first one. */
  onOpen(reconnected: boolean): void;
}

export type ReconnectReason = 'closed' | 'error' | 'silence' | 'max-age' | 'server-shutdown';

/**
 * One combined-stream WebSocket connection that stays up: answers pings with pongs carrying the
 * same payload, reconnects with exponential backoff and jitter when it drops, at once on a
 * `serverShutdown` event and before the 24-hour limit, and when it goes silent (watchdog).
 */
export class StreamConnection {
  readonly #logger: Logger;
  #socket: WebSocket | undefined;
  #attempt = 0;
  #opened = false;
  #stopped = false;
  #watchdog: NodeJS.Timeout | undefined;
  #ageTimer: NodeJS.Timeout | undefined;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #lastFrameAtMs: number | undefined;

  constructor(
    private readonly options: StreamConnectionOptions,
    private readonly handlers: StreamConnectionHandlers,
    private readonly onReconnect: (reason: ReconnectReason) => void,
    name: string,
  ) {
    this.#logger = new Logger(`StreamConnection ${name}`);
  }

  /** Wall time of the newest frame (data or ping): evidence that the stream was alive then. */
  get lastFrameAtMs(): number | undefined {
    return this.#lastFrameAtMs;
  }

  get isOpen(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  start(): void {
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#reconnectTimer);
    this.#disarm();
    this.#socket?.terminate();
  }

  /** Tells the connection a `serverShutdown` event arrived: reconnect now. */
  serverShutdown(): void {
    this.#logger.warn('serverShutdown received: reconnecting now');
    this.#recycle('server-shutdown', 0);
  }

  #connect(): void {
    if (this.#stopped) return;
    const socket = new WebSocket(this.options.url, {
      autoPong: false,
      skipUTF8Validation: true,
      maxPayload: this.options.maxFrameBytes ?? 4 * 1024 * 1024,
      handshakeTimeout: 10_000,
    });
    this.#socket = socket;
    socket.on('open', () => {
      const reconnected = this.#opened;
      this.#opened = true;
      this.#attempt = 0;
      this.#feedWatchdog();
      this.#ageTimer = setTimeout(() => this.#recycle('max-age', 0), this.options.maxConnectionAgeMs);
      this.#logger.log(`connected${reconnected ? ' again' : ''}`);
      this.handlers.onOpen(reconnected);
    });
    socket.on('ping', (payload) => {
      this.#lastFrameAtMs = Date.now();
      this.#feedWatchdog();
      socket.pong(payload);
    });
    socket.on('message', (data, isBinary) => {
      this.#feedWatchdog();
      const receivedAtMs = Date.now();
      this.handlers.onFrame(data, isBinary, receivedAtMs);
      // After the frame was handled: its trades are queued before a record that claims them.
      this.#lastFrameAtMs = receivedAtMs;
    });
    socket.on('error', (error) => this.#lost(socket, 'error', error.message));
    socket.on('close', (code, reason) => this.#lost(socket, 'closed', `closed with code ${code}${reason.length ? ` (${reason.toString()})` : ''}`));
  }

  #lost(socket: WebSocket, reason: ReconnectReason, detail: string): void {
    if (socket !== this.#socket || this.#stopped) return;
    this.#attempt += 1;
    const delayMs = backoffDelayMs(this.#attempt, { baseMs: this.options.reconnectBaseMs, maxMs: this.options.reconnectMaxMs });
    this.#logger.warn(`${detail}; reconnecting in ${delayMs} ms (attempt ${this.#attempt})`);
    this.#recycle(reason, delayMs);
  }

  /** Drops the current socket (if any) and connects again after `delayMs`. */
  #recycle(reason: ReconnectReason, delayMs: number): void {
    if (this.#stopped) return;
    this.#disarm();
    const old = this.#socket;
    this.#socket = undefined;
    old?.removeAllListeners();
    old?.on('error', () => undefined);
    old?.terminate();
    this.onReconnect(reason);
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = setTimeout(() => this.#connect(), delayMs);
  }

  #feedWatchdog(): void {
    clearTimeout(this.#watchdog);
    this.#watchdog = setTimeout(() => {
      this.#logger.warn(`no frame for ${this.options.silenceTimeoutMs} ms: reconnecting`);
      this.#recycle('silence', 0);
    }, this.options.silenceTimeoutMs);
  }

  #disarm(): void {
    clearTimeout(this.#watchdog);
    clearTimeout(this.#ageTimer);
  }
}
