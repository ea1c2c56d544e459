import type { WindowAccumulator } from './window-accumulator';

/**
 * Windows by start time, then symbol. Windows share one size, so ordering by start is ordering
 * by end; there are few distinct starts (about grace / size + 1), kept in a sorted array.
 */
export class WindowStore {
  readonly #byStart = new Map<number, Map<string, WindowAccumulator>>();
  readonly #starts: number[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Start of the earliest window held, or undefined when empty. */
  get earliestStartMs(): number | undefined {
    return this.#starts[0];
  }

  get(startMs: number, symbol: string): WindowAccumulator | undefined {
    return this.#byStart.get(startMs)?.get(symbol);
  }

  put(window: WindowAccumulator): void {
    let bucket = this.#byStart.get(window.startMs);
    if (bucket === undefined) {
      bucket = new Map();
      this.#byStart.set(window.startMs, bucket);
      this.#insertStart(window.startMs);
    }
    if (!bucket.has(window.symbol)) this.#size++;
    bucket.set(window.symbol, window);
  }

  /** Removes and returns the windows with the earliest start, ordered by symbol. */
  takeEarliest(): WindowAccumulator[] {
    const startMs = this.#starts[0];
    if (startMs === undefined) return [];
    const bucket = this.#byStart.get(startMs);
    if (bucket === undefined) throw new Error(`window store out of step: no windows at ${startMs}`);
    return this.#takeBucket(startMs, bucket);
  }

  #takeBucket(startMs: number, bucket: Map<string, WindowAccumulator>): WindowAccumulator[] {
    this.#byStart.delete(startMs);
    this.#starts.splice(this.#starts.indexOf(startMs), 1);
    this.#size -= bucket.size;
    return [...bucket.values()].sort(bySymbol);
  }

  /** Start times held, earliest first (a copy: safe to change the store while iterating). */
  starts(): number[] {
    return this.#starts.slice();
  }

  /**
   * Removes and returns the windows starting at `startMs` for which `closes` holds, ordered by
   * symbol; the others stay.
   */
  takeWhere(startMs: number, closes: (window: WindowAccumulator) => boolean): WindowAccumulator[] {
    const bucket = this.#byStart.get(startMs);
    if (bucket === undefined) return [];
    const taken = [...bucket.values()].filter(closes);
    if (taken.length === bucket.size) return this.#takeBucket(startMs, bucket);
    for (const window of taken) bucket.delete(window.symbol);
    this.#size -= taken.length;
    return taken.sort(bySymbol);
  }

  /** Drops the earliest windows while `expired(startMs)` holds for them. */
  evictWhile(expired: (startMs: number) => boolean): void {
    while (this.#starts.length > 0 && expired(this.#starts[0])) this.takeEarliest();
  }

  *values(): IterableIterator<WindowAccumulator> {
    for (const bucket of this.#byStart.values()) yield* bucket.values();
  }

  #insertStart(startMs: number): void {
    const starts = this.#starts;
    // Usually the newest window: append. Out-of-order events within grace insert before.
    let at = starts.length;
    while (at > 0 && starts[at - 1] > startMs) at--;
    starts.splice(at, 0, startMs);
  }
}

function bySymbol(a: WindowAccumulator, b: WindowAccumulator): number {
  return a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0;
}
