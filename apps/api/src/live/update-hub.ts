import { WindowUpdate } from '@cryptostream/schema';

/** Where one SSE client's frames go. */
export interface UpdateSink {
  /** The named rendering it takes (see UpdateHub's `renders`); SSE frames when absent. */
  readonly format?: string;
  /** Writes one SSE frame; false when the client falls too far behind (it is dropped). */
  write(frame: string): boolean;
  /** Ends the stream (the API is shutting down). */
  end(): void;
}

/** An update as held for replay: its Kafka offset (the SSE event id) and its frame, serialized once. */
interface HeldUpdate {
  readonly offset: number;
  readonly windowSizeMs: number;
  readonly startMs: number;
  readonly frame: string;
  readonly update: WindowUpdate;
  /** Other renderings, made once each when a sink of that format first needs them. */
  rendered?: Map<string, string>;
}

interface SymbolUpdates {
  readonly partition: number;
  held: HeldUpdate[];
  /** Offset of the newest update dropped from `held`: a resume from before it has a gap. */
  droppedThrough: number;
}

/** What a subscription started with. */
export interface Subscription {
  /** True when the client asked to resume from an update no longer held: it should reload history. */
  readonly gap: boolean;
  unsubscribe(): void;
}

type Render = (update: WindowUpdate) => string;

/** Window starts whose latest state a new subscriber (no Last-Event-ID) gets at once. */
const SNAPSHOT_WINDOWS = 3;

/**
 * Fans window updates out to SSE subscribers of (symbol, window size) and keeps the latest
 * `heldPerSymbol` updates of each symbol for resumes. Event ids are the updates' Kafka offsets:
 * a symbol's updates all live in one partition (the topic is keyed by symbol), so within a
 * symbol they only grow, and every API instance gives the same update the same id. A resume
 * with `Last-Event-ID: n` gets exactly the held updates after n, then live ones; it is complete
 * when nothing after n was dropped and the hub read the partition from before n.
 */
export class UpdateHub {
  readonly #symbols = new Map<string, SymbolUpdates>();
  readonly #subscribers = new Map<string, Set<UpdateSink>>();
  /** The latest state of the newest open window of each (symbol, window size), until it closes. */
  readonly #openWindows = new Map<string, WindowUpdate>();
  /** First offset this hub read in each partition. */
  readonly #partitionStart = new Map<number, number>();
  #clients = 0;

  /**
   * `render` gives an update's SSE data; `renders` other named formats (the Binance kline
   * event of the WebSocket streams), each sent as it renders.
   */
  constructor(
    private readonly heldPerSymbol: number,
    private readonly render: Render,
    private readonly renders: Readonly<Record<string, Render>> = {},
  ) {}

  get clientCount(): number {
    return this.#clients;
  }

  /** Called in offset order per partition by the topic reader. */
  publish(update: WindowUpdate, partition: number, offset: number): void {
    if (!this.#partitionStart.has(partition)) this.#partitionStart.set(partition, offset);
    let updates = this.#symbols.get(update.symbol);
    if (!updates) {
      updates = { partition, held: [], droppedThrough: -1 };
      this.#symbols.set(update.symbol, updates);
    }
    const frame = `id: ${offset}\nevent: candle\ndata: ${this.render(update)}\n\n`;
    const held: HeldUpdate = { offset, windowSizeMs: update.windowSizeMs, startMs: update.startMs, frame, update };
    updates.held.push(held);
    // Trim in chunks so that holding stays O(1) per update.
    if (updates.held.length >= 2 * this.heldPerSymbol) {
      const dropped = updates.held.splice(0, updates.held.length - this.heldPerSymbol);
      updates.droppedThrough = dropped[dropped.length - 1].offset;
    }
    const key = keyOf(update.symbol, update.windowSizeMs);
    const open = this.#openWindows.get(key);
    if (!update.closed && (open === undefined || update.startMs >= open.startMs)) this.#openWindows.set(key, update);
    else if (update.closed && open !== undefined && open.startMs <= update.startMs) this.#openWindows.delete(key);
    const sinks = this.#subscribers.get(key);
    if (!sinks) return;
    for (const sink of sinks) {
      if (!sink.write(this.#frameOf(held, sink.format))) this.#remove(update.symbol, update.windowSizeMs, sink);
    }
  }

  /**
   * Subscribes a sink and, in the same turn (so nothing falls between), writes what it missed:
   * the held updates after `lastEventId`, or without one the latest state of the newest windows.
   */
  subscribe(symbol: string, windowSizeMs: number, sink: UpdateSink, lastEventId?: number): Subscription {
    const updates = this.#symbols.get(symbol);
    const held = (updates?.held ?? []).filter((h) => h.windowSizeMs === windowSizeMs);
    let gap = false;
    if (lastEventId === undefined) {
      for (const update of latestOfNewestWindows(held)) sink.write(this.#frameOf(update, sink.format));
    } else {
      const start = updates ? this.#partitionStart.get(updates.partition) : undefined;
      const completeAfter = Math.max(updates?.droppedThrough ?? -1, (start ?? Number.MAX_SAFE_INTEGER) - 1);
      gap = lastEventId < completeAfter;
      for (const update of held) if (update.offset > lastEventId) sink.write(this.#frameOf(update, sink.format));
    }
    const key = keyOf(symbol, windowSizeMs);
    let sinks = this.#subscribers.get(key);
    if (!sinks) {
      sinks = new Set();
      this.#subscribers.set(key, sinks);
    }
    sinks.add(sink);
    this.#clients++;
    return { gap, unsubscribe: () => this.#remove(symbol, windowSizeMs, sink) };
  }

  /**
   * The open window of a symbol and size as last published (`closed: false`), or undefined once
   * it closed (its final row is in MySQL then) or when none was seen.
   */
  openWindow(symbol: string, windowSizeMs: number): WindowUpdate | undefined {
    return this.#openWindows.get(keyOf(symbol, windowSizeMs));
  }

  /** Writes `frame` to every SSE subscriber (keep-alive comments); sinks of other formats keep alive their own way. */
  broadcast(frame: string): void {
    for (const [key, sinks] of this.#subscribers) {
      for (const sink of sinks) {
        if (sink.format !== undefined) continue;
        if (!sink.write(frame)) {
          sinks.delete(sink);
          this.#clients--;
        }
      }
      if (sinks.size === 0) this.#subscribers.delete(key);
    }
  }

  /** Ends every stream: open SSE connections would otherwise hold the HTTP server's close. */
  endAll(): void {
    for (const sinks of this.#subscribers.values()) for (const sink of sinks) sink.end();
    this.#subscribers.clear();
    this.#clients = 0;
  }

  #frameOf(held: HeldUpdate, format: string | undefined): string {
    if (format === undefined) return held.frame;
    let frame = held.rendered?.get(format);
    if (frame === undefined) {
      const render = this.renders[format];
      if (render === undefined) throw new Error(`no rendering ${format} of updates`);
      frame = render(held.update);
      (held.rendered ??= new Map()).set(format, frame);
    }
    return frame;
  }

  #remove(symbol: string, windowSizeMs: number, sink: UpdateSink): void {
    const key = keyOf(symbol, windowSizeMs);
    const sinks = this.#subscribers.get(key);
    if (!sinks?.delete(sink)) return;
    this.#clients--;
    if (sinks.size === 0) this.#subscribers.delete(key);
  }
}

const keyOf = (symbol: string, windowSizeMs: number): string => `${symbol} ${windowSizeMs}`;

/** The last held update of each of the newest windows, in offset order. */
function latestOfNewestWindows(held: readonly HeldUpdate[]): HeldUpdate[] {
  const latest = new Map<number, HeldUpdate>();
  for (const update of held) latest.set(update.startMs, update);
  const newest = [...latest.keys()].sort((a, b) => b - a).slice(0, SNAPSHOT_WINDOWS);
  return newest.map((startMs) => latest.get(startMs)!).sort((a, b) => a.offset - b.offset);
}
