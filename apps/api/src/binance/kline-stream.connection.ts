import type { WebSocket } from 'ws';
import type { Interval } from '../config/api.config';
import type { Subscription, UpdateHub } from '../live/update-hub';
import { COMBINED_KLINE_FORMAT, KLINE_FORMAT } from './kline-event';

/** A client with this much unsent data is too slow to follow live updates: dropped, as SSE clients are. */
export const MAX_BUFFERED_BYTES = 1 << 20;
/** Binance lets a connection hold 1024 streams. */
const MAX_STREAMS = 1024;
const STREAM = /^([a-z0-9][a-z0-9_-]{1,31})@kline_([0-9]+[smhdwM])$/;

interface Request {
  readonly method?: unknown;
  readonly params?: unknown;
  readonly id?: unknown;
}

/**
 * One WebSocket client of Binance's kline streams: its subscriptions to the update hub (one a
 * stream, `trxusdt@kline_1m`), opened from the URL or by `SUBSCRIBE`, and Binance's replies to
 * `SUBSCRIBE`, `UNSUBSCRIBE` and `LIST_SUBSCRIPTIONS`. Events come from the hub in its order
 * (per symbol, Kafka offset order); a client more than {@link MAX_BUFFERED_BYTES} behind is
 * dropped.
 */
export class KlineStreamConnection {
  readonly #subscriptions = new Map<string, Subscription>();

  constructor(
    private readonly socket: WebSocket,
    private readonly hub: UpdateHub,
    private readonly intervals: readonly Interval[],
    /** `/stream`: events wrapped as `{"stream": name, "data": event}`. */
    private readonly combined: boolean,
  ) {}

  /** Subscribes a stream by name; false when the name is not a kline stream of a served interval. */
  subscribe(name: string): boolean {
    const stream = this.#streamOf(name);
    if (stream === undefined) return false;
    if (this.#subscriptions.has(name)) return true;
    if (this.#subscriptions.size >= MAX_STREAMS) return false;
    const sink = {
      format: this.combined ? COMBINED_KLINE_FORMAT : KLINE_FORMAT,
      write: (frame: string): boolean => {
        if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
          this.socket.terminate();
          return false;
        }
        this.socket.send(frame);
        return true;
      },
      end: () => this.socket.close(1001, 'server shutting down'),
    };
    this.#subscriptions.set(name, this.hub.subscribe(stream.symbol, stream.interval.ms, sink));
    return true;
  }

  #streamOf(name: string): { readonly symbol: string; readonly interval: Interval } | undefined {
    const match = STREAM.exec(name);
    const interval = match && this.intervals.find((candidate) => candidate.label === match[2]);
    return match && interval ? { symbol: match[1].toUpperCase(), interval } : undefined;
  }

  unsubscribe(name: string): void {
    this.#subscriptions.get(name)?.unsubscribe();
    this.#subscriptions.delete(name);
  }

  /** A client message: Binance's JSON requests, answered as Binance answers them. */
  onMessage(text: string): void {
    let request: Request;
    try {
      request = JSON.parse(text) as Request;
    } catch {
      this.#reply({ error: { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' }, id: null });
      return;
    }
    const id = typeof request?.id === 'number' || typeof request?.id === 'string' ? request.id : null;
    const params = Array.isArray(request?.params) ? request.params : undefined;
    if (request?.method === 'LIST_SUBSCRIPTIONS') {
      this.#reply({ result: [...this.#subscriptions.keys()], id });
      return;
    }
    if ((request?.method !== 'SUBSCRIBE' && request?.method !== 'UNSUBSCRIBE') || params === undefined || !params.every((p) => typeof p === 'string')) {
      this.#reply({ error: { code: 2, msg: 'Invalid request: method must be SUBSCRIBE, UNSUBSCRIBE or LIST_SUBSCRIPTIONS with params a list of stream names' }, id });
      return;
    }
    if (request.method === 'UNSUBSCRIBE') {
      for (const name of params) this.unsubscribe(name);
      this.#reply({ result: null, id });
      return;
    }
    const refused = params.filter((name) => this.#streamOf(name) === undefined);
    if (refused.length > 0) {
      this.#reply({ error: { code: 2, msg: `Invalid request: not a kline stream of a served interval: ${refused.join(', ')}` }, id });
      return;
    }
    // The answer first, as Binance sends it, then the streams' latest state.
    this.#reply({ result: null, id });
    for (const name of params) this.subscribe(name);
  }

  close(): void {
    for (const subscription of this.#subscriptions.values()) subscription.unsubscribe();
    this.#subscriptions.clear();
  }

  #reply(message: object): void {
    this.socket.send(JSON.stringify(message));
  }
}
