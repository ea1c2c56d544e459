import { retry } from '@cryptostream/service-runtime';

/**
 * One Kafka message on its way out. `symbol` is set for price messages (for the metrics);
 * `partition` for a message sent to a partition of its own choosing instead of its key's.
 */
export interface OutgoingMessage {
  readonly topic: string;
  readonly key: string | null;
  readonly value: string;
  readonly symbol?: string;
  readonly partition?: number;
}

export interface MessageBatcherOptions {
  /** Sends one batch; throws to have the same batch retried after a backoff. */
  readonly send: (batch: readonly OutgoingMessage[]) => Promise<void>;
  readonly onSendError?: (error: unknown, attempt: number) => void;
  /** A batch leaves when it holds this many messages… */
  readonly batchSize?: number;
  /** …or this long after its first message arrived. */
  readonly lingerMs?: number;
  /** `add` makes its caller wait while more than this many messages are queued. */
  readonly maxQueued?: number;
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
}

/**
 * Accumulates messages and sends them in batches, one batch at a time and in arrival order, so
 * that the per-key order survives (the idempotent producer allows one request in flight). A
 * failed batch is retried, with exponential backoff and jitter, until it goes through or
 * `flush`'s deadline passes: messages are never silently dropped.
 */
export class MessageBatcher {
  readonly #options: Required<Omit<MessageBatcherOptions, 'onSendError'>> & Pick<MessageBatcherOptions, 'onSendError'>;
  #queue: OutgoingMessage[] = [];
  #pumping: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #spaceWaiters: Array<() => void> = [];
  /** The deadlines of the flushes waiting now: retrying stops at the earliest. */
  readonly #deadlines: number[] = [];

  constructor({ batchSize = 500, lingerMs = 20, maxQueued = 10_000, retryBaseMs = 200, retryMaxMs = 5_000, ...rest }: MessageBatcherOptions) {
    this.#options = { batchSize, lingerMs, maxQueued, retryBaseMs, retryMaxMs, ...rest };
  }

  get queued(): number {
    return this.#queue.length;
  }

  /** Queues a message; resolves at once unless the queue is full, then when there is room. */
  add(message: OutgoingMessage): Promise<void> {
    this.#queue.push(message);
    if (this.#queue.length >= this.#options.batchSize) this.#pump();
    else this.#timer ??= setTimeout(() => this.#pump(), this.#options.lingerMs);
    if (this.#queue.length <= this.#options.maxQueued) return Promise.resolve();
    return new Promise((resolve) => this.#spaceWaiters.push(resolve));
  }

  /**
   * Sends everything queued. With a deadline, gives up retrying once it passes and returns the
   * number of messages that could not be sent.
   */
  async flush(deadlineMs = Number.POSITIVE_INFINITY): Promise<number> {
    // A flush without a deadline (a source at its end) may be waiting when shutdown's flush
    // with one begins: the earlier deadline holds for both until its own flush returns.
    this.#deadlines.push(deadlineMs);
    try {
      while (this.#queue.length > 0 || this.#pumping) {
        this.#pump();
        await this.#pumping;
        if (Date.now() >= this.#abandonAt) break;
      }
      return this.#queue.length;
    } finally {
      this.#deadlines.splice(this.#deadlines.indexOf(deadlineMs), 1);
    }
  }

  get #abandonAt(): number {
    return Math.min(...this.#deadlines);
  }

  #pump(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pumping ??= this.#drain().finally(() => {
      this.#pumping = undefined;
      if (this.#queue.length > 0 && Date.now() < this.#abandonAt) this.#timer ??= setTimeout(() => this.#pump(), this.#options.lingerMs);
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.slice(0, this.#options.batchSize);
      if (!(await this.#sendWithRetry(batch))) return;
      this.#queue.splice(0, batch.length);
      this.#releaseWaiters();
    }
  }

  async #sendWithRetry(batch: readonly OutgoingMessage[]): Promise<boolean> {
    const send = async (attempt: number) => {
      try {
        await this.#options.send(batch);
      } catch (error) {
        this.#options.onSendError?.(error, attempt);
        throw error;
      }
    };
    // Nothing may be dropped: every failure is retried until the flush deadline, whatever it says.
    const options = { baseMs: this.#options.retryBaseMs, maxMs: this.#options.retryMaxMs, retriable: () => Date.now() < this.#abandonAt };
    return retry(send, options).then(() => true, () => false);
  }

  #releaseWaiters(): void {
    while (this.#spaceWaiters.length > 0 && this.#queue.length <= this.#options.maxQueued) this.#spaceWaiters.shift()?.();
  }
}
