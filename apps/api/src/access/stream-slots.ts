/** A stream's place under the caps; `release` (once or more) gives it back. */
export interface StreamSlot {
  release(): void;
}

/** Why a stream was not admitted. */
export interface StreamRefusal {
  readonly status: 429 | 503;
  readonly reason: 'streams_per_client' | 'streams_instance';
  readonly message: string;
}

/**
 * Counts the live streams (SSE, WebSocket) of an instance and of each client: a stream is
 * admitted while the instance holds fewer than `maxStreams` and its client fewer than
 * `maxPerClient`. A client at its cap is refused before the instance cap is looked at, so that a
 * full instance says 503 to others, and a greedy client hears 429 about itself.
 */
export class StreamSlots {
  readonly #perClient = new Map<string, number>();
  #open = 0;

  constructor(
    private readonly maxStreams: number,
    private readonly maxPerClient: number,
  ) {}

  get open(): number {
    return this.#open;
  }

  take(clientId: string): StreamSlot | StreamRefusal {
    const held = this.#perClient.get(clientId) ?? 0;
    if (held >= this.maxPerClient) {
      return { status: 429, reason: 'streams_per_client', message: `this client holds ${held} live streams, the most one client may hold` };
    }
    if (this.#open >= this.maxStreams) {
      return { status: 503, reason: 'streams_instance', message: `this instance holds ${this.#open} live streams, the most it serves; retry later or elsewhere` };
    }
    this.#perClient.set(clientId, held + 1);
    this.#open++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#open--;
        const left = this.#perClient.get(clientId)! - 1;
        if (left === 0) this.#perClient.delete(clientId);
        else this.#perClient.set(clientId, left);
      },
    };
  }
}

export const isRefusal = (admission: StreamSlot | StreamRefusal): admission is StreamRefusal => 'status' in admission;
