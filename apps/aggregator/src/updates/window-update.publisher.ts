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
const keyOf = (window: WindowFigures): string => `${window.symbol}\u0000${window.startMs}\u0000${window.endMs}`;

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

  /** Where the part of `messages` starting at `from` ends: within maxBatchBytes, one message at least. */
  #partEnd(messages: readonly UpdateMessage[], from: number): number {
    let bytes = messages[from].value.length;
    let to = from + 1;
    while (to < messages.length && bytes + messages[to].value.length <= this.#options.maxBatchBytes) bytes += messages[to++].value.length;
    return to;
  }

  async #sendLoop(): Promise<void> {
    let failures = 0;
    while (this.#open.size > 0 || this.#final.length > 0) {
      const updates = [...this.#open.values(), ...this.#final];
      this.#open = new Map();
      this.#final = [];
      const messages = updates.map((update) => ({ key: update.symbol, value: encodeWindowUpdate(update) }));
      // One part after the other, in order: a window's final update still follows its open ones.
      for (let from = 0; from < messages.length; ) {
        const to = this.#partEnd(messages, from);
        try {
          await this.#options.send(messages.slice(from, to));
          failures = 0;
          this.#options.onSent?.(to - from);
          from = to;
        } catch (error) {
          // Final states not sent go back in front of newer ones; open states are superseded anyway.
          const unsent = updates.slice(from);
          const final = unsent.filter((update) => update.closed);
          this.#final = final.concat(this.#final);
          this.#options.onFailed?.(error as Error, unsent.length - final.length);
          const { retryDelayMs } = this.#options;
          await sleep(backoffDelayMs(++failures, { baseMs: retryDelayMs, maxMs: Math.max(retryDelayMs, 10_000) }));
          break;
        }
      }
    }
  }
}
