import { backoffDelayMs, sleep } from '@cryptostream/service-runtime';
import { candleFigures, encodeWindowUpdate, WindowUpdate } from '@cryptostream/schema';
import type { WindowFigures } from '@cryptostream/windowing';

/** One Kafka message of the update topic. */
export interface UpdateMessage {
  readonly key: string;
  readonly value: string;
}

export interface WindowUpdatePublisherOptions {
  /** Sends one batch; resolves once the broker has it. */
  readonly send: (messages: readonly UpdateMessage[]) => Promise<void>;
  /** Final updates kept while the broker does not answer; past it the oldest are dropped. */
  readonly maxPending?: number;
  /**
   * Most bytes of values in one send (one message more if a single one is larger): a Kafka
   * broker refuses a record batch past its `message.max.bytes` (1 MiB by default), and one
   * interval's open windows of 2,000 symbols × six sizes are about 5 MB.
   */
  readonly maxBatchBytes?: number;
  /** The backoff after a first failed send (doubling, with full jitter, up to 10 s or this). */
  readonly retryDelayMs?: number;
  readonly onSent?: (count: number) => void;
  readonly onFailed?: (error: Error, dropped: number) => void;
  readonly now?: () => number;
}

// The end as well: windows of several sizes (1m, 5m, …) share start times.
const keyOf = (window: WindowFigures | WindowUpdate): string => `${window.symbol}\u0000${window.startMs}\u0000${window.endMs}`;

/**
 * Publishes window updates for readers, off the hot path: callers hand over open windows (a
 * throttled snapshot) and final ones (after MySQL committed them); this sends them in batches,
 * one send at a time, in the order handed over, so a window's final update always follows its
 * open ones. While a send is in flight, newer open states of a window replace older ones, and a
 * final update replaces the window's pending open one. Updates are a live view, not the record
 * (MySQL is): when the broker fails, open states are dropped and final ones wait, up to a bound.
 */
export class WindowUpdatePublisher {
  readonly #options: Required<Omit<WindowUpdatePublisherOptions, 'onSent' | 'onFailed'>> & Pick<WindowUpdatePublisherOptions, 'onSent' | 'onFailed'>;
  #open = new Map<string, WindowUpdate>();
  #final: WindowUpdate[] = [];
  #running: Promise<void> | undefined;

  constructor({ maxPending = 100_000, maxBatchBytes = 256 * 1024, retryDelayMs = 1_000, now = Date.now, ...options }: WindowUpdatePublisherOptions) {
    this.#options = { maxPending, maxBatchBytes, retryDelayMs, now, ...options };
  }

  /** Queues the current state of open windows (`closed: false`). */
  open(windows: readonly WindowFigures[]): void {
    if (windows.length === 0) return;
    const publishedAtMs = this.#options.now();
    for (const window of windows) this.#open.set(keyOf(window), this.#update(window, false, publishedAtMs));
    this.#schedule();
  }

  /** Queues the final state of windows MySQL now holds (`closed: true`). */
  closed(windows: readonly WindowFigures[]): void {
    if (windows.length === 0) return;
    const publishedAtMs = this.#options.now();
    for (const window of windows) {
      this.#open.delete(keyOf(window));
      this.#final.push(this.#update(window, true, publishedAtMs));
    }
    const excess = this.#final.length - this.#options.maxPending;
    if (excess > 0) {
      this.#final.splice(0, excess);
      this.#options.onFailed?.(new Error(`more than ${this.#options.maxPending} final updates wait for the broker`), excess);
    }
    this.#schedule();
  }

  /** Resolves when everything queued so far has been sent or dropped. */
  async whenIdle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** The window as readers see its row: the figures of `candleFigures`, as `windowRowValues` writes them. */
  #update(window: WindowFigures, closed: boolean, publishedAtMs: number): WindowUpdate {
    const f = candleFigures(window);
    return {
      symbol: window.symbol, source: f.source, windowSizeMs: window.endMs - window.startMs,
      startMs: window.startMs, endMs: window.endMs, open: window.open, high: window.high, low: window.low, close: window.close,
      volume: f.volume, quoteVolume: f.quoteVolume, baseVolume: f.baseVolume,
      takerBuyVolume: f.takerBuyVolume, takerBuyQuoteVolume: f.takerBuyQuoteVolume, takerBuyBaseVolume: f.takerBuyBaseVolume, vwap: f.vwap, averagePrice: window.averagePrice,
      tradeCount: f.tradeCount, eventCount: window.eventCount, revision: window.revision, closed, publishedAtMs,
      firstTradeId: window.firstTradeId ?? null, lastTradeId: window.lastTradeId ?? null,
    };
  }

  #schedule(): void {
    this.#running ??= this.#sendLoop().finally(() => (this.#running = undefined));
  }

  /** The first of `updates` that fit one send, encoded: within maxBatchBytes, one at least. */
  #part(updates: readonly WindowUpdate[]): UpdateMessage[] {
    const part: UpdateMessage[] = [];
    let bytes = 0;
    for (const update of updates) {
      const message = { key: update.symbol, value: encodeWindowUpdate(update) };
      if (part.length > 0 && bytes + message.value.length > this.#options.maxBatchBytes) break;
      part.push(message);
      bytes += message.value.length;
    }
    return part;
  }

  /**
   * One part at a time. Final updates go first, before the open states of an interval not sent
   * yet (a reader is waiting for them; one interval's open states are megabytes): each final one
   * then replaces its window's open state among those, as {@link closed} does for the pending
   * ones, so a window's final update still follows its open ones. An open state is never queued
   * after its window's final one (the window is closed in the engine before MySQL has it).
   */
  async #sendLoop(): Promise<void> {
    let failures = 0;
    /** The open states of the interval being sent, not sent yet, in order. */
    let opens: WindowUpdate[] = [];
    while (this.#open.size > 0 || this.#final.length > 0 || opens.length > 0) {
      const final = this.#final.length > 0;
      if (!final && opens.length === 0) {
        opens = [...this.#open.values()];
        this.#open = new Map();
      }
      const part = this.#part(final ? this.#final : opens);
      const updates = (final ? this.#final : opens).splice(0, part.length);
      if (final) {
        const done = new Set(updates.map(keyOf));
        opens = opens.filter((update) => !done.has(keyOf(update)));
      }
      try {
        await this.#options.send(part);
        failures = 0;
        this.#options.onSent?.(part.length);
      } catch (error) {
        // Final states not sent go back in front of newer ones; open states are superseded anyway.
        if (final) this.#final = updates.concat(this.#final);
        this.#options.onFailed?.(error as Error, opens.length + (final ? 0 : updates.length));
        opens = [];
        const { retryDelayMs } = this.#options;
        await sleep(backoffDelayMs(++failures, { baseMs: retryDelayMs, maxMs: Math.max(retryDelayMs, 10_000) }));
      }
    }
  }
}
