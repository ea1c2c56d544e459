/**
 * The Buffers staged files are written into ({@link LineBuffer}), kept once a stage is committed
 * and handed to the next one: a Buffer of this size is a fresh allocation outside the JavaScript
 * heap, its pages faulted in again each time it is written. Buffers are kept by size (the
 * powers of two a {@link LineBuffer} grows through), up to `maxFreeBytes` in all; any other
 * size (a line longer than a Buffer) or any beyond that is left to the garbage collector.
 */
export class StageBuffers {
  readonly #free = new Map<number, Buffer[]>();
  #freeBytes = 0;

  constructor(readonly maxFreeBytes = DEFAULT_MAX_FREE_BYTES) {}

  /** Bytes held for reuse right now. */
  get freeBytes(): number {
    return this.#freeBytes;
  }

  /** A Buffer of `bytes` (its content is whatever it held before: the caller writes it before reading it). */
  take(bytes: number): Buffer {
    const kept = this.#free.get(bytes)?.pop();
    if (kept === undefined) return Buffer.allocUnsafeSlow(bytes);
    this.#freeBytes -= bytes;
    return kept;
  }

  /** Buffers no longer read or written by anyone (their staged files written and committed), for the next {@link take}. */
  give(buffers: readonly Buffer[]): void {
    for (const buffer of buffers) {
      const bytes = buffer.length;
      if (!isPowerOfTwo(bytes) || this.#freeBytes + bytes > this.maxFreeBytes) continue;
      let sized = this.#free.get(bytes);
      if (sized === undefined) this.#free.set(bytes, (sized = []));
      sized.push(buffer);
      this.#freeBytes += bytes;
    }
  }
}

/** Enough for the three partitions' files of trades at LAKE_ROLL_ROWS (100,000 lines of about 62 bytes each). */
const DEFAULT_MAX_FREE_BYTES = 32 * 1024 * 1024;

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}
