import { Injectable } from '@nestjs/common';

/** The size a new buffer gets at least: a page of 1000 candles takes about 330 KiB. */
const MIN_BYTES = 512 * 1024;
/** At most this many idle buffers are kept (8 MB): more answers at once allocate more. */
const KEEP = 16;

/**
 * Output buffers reused from one answer to the next. A page's JSON is one large Buffer;
 * allocated anew for each answer it is external memory, and V8 marks the whole heap for every
 * few tens of MB of it, so a steady load of pages would bring frequent mark-compacts and their
 * pauses on the main thread. A buffer comes back only once its answer is written ({@link give}
 * after the response's `finish`): an answer cut short leaves its buffer to the GC.
 */
@Injectable()
export class ResponseBuffers {
  readonly #free: Buffer[] = [];

  /** A buffer of at least `bytes`, whose contents are undefined. */
  take(bytes: number): Buffer {
    for (let i = this.#free.length - 1; i >= 0; i--) {
      if (this.#free[i].length >= bytes) return this.#free.splice(i, 1)[0];
    }
    // Never from Node's shared pool (allocUnsafe does that below 4 KiB): the whole ArrayBuffer is ours to reuse.
    return Buffer.allocUnsafeSlow(Math.max(bytes, MIN_BYTES));
  }

  /** Takes back a buffer from {@link take}, or any view of one, once nothing reads it any more. */
  give(view: Buffer): void {
    if (this.#free.length >= KEEP) return;
    this.#free.push(Buffer.from(view.buffer, 0, view.buffer.byteLength));
  }

  get idle(): number {
    return this.#free.length;
  }
}
