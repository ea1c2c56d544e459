import { StageBuffers } from './lake-stage-buffers';

/**
 * CSV text written straight into Buffers, field by field, outside the JavaScript heap: a trade's
 * integers as digits and its strings byte by byte, with no string made per line (no template, no
 * flattening, no UTF-8 encoder call). The Buffers grow by doubling, so a file of few rows holds
 * little memory; a line may span two of them. They come from a pool and go back to it with
 * {@link release}.
 */
export class LineBuffer {
  /** The longest line so far, in bytes with its newline (DuckDB's read buffer must hold it). */
  longestLine = 0;
  /** The filled part of each Buffer before the one being written. */
  readonly #full: Buffer[] = [];
  /** Every Buffer taken, whole. */
  readonly #taken: Buffer[] = [];
  #chunk: Buffer = EMPTY;
  #used = 0;
  /** Bytes in the full Buffers. */
  #before = 0;
  #lineStart = 0;

  readonly #pool: StageBuffers;

  constructor(pool: StageBuffers = new StageBuffers()) {
    this.#pool = pool;
  }

  /** Text of any characters, as UTF-8. */
  text(value: string): void {
    // A character takes up to 3 bytes of UTF-8.
    this.#room(3 * value.length);
    this.#used += this.#chunk.write(value, this.#used);
  }

  /** Text the caller knows to be ASCII without a comma, quote or newline (decimals, ids, sources); any other character is written as UTF-8. */
  plain(value: string): void {
    const length = value.length;
    this.#room(length);
    const chunk = this.#chunk;
    let at = this.#used;
    for (let index = 0; index < length; index++) {
      const code = value.charCodeAt(index);
      if (code > 0x7f) {
        this.text(value);
        return;
      }
      chunk[at++] = code;
    }
    this.#used = at;
  }

  /** A safe integer's digits, as `String(n)` writes them. */
  integer(n: number): void {
    if (!Number.isSafeInteger(n)) throw new Error(`${n} is not a safe integer`);
    this.#room(MAX_INTEGER_BYTES);
    const chunk = this.#chunk;
    if (n < 0) {
      chunk[this.#used++] = MINUS;
      n = -n;
    }
    let digits = 1;
    for (let power = 10; power <= n; power *= 10) digits++;
    let at = this.#used + digits;
    this.#used = at;
    // Beyond 32 bits by float division (exact for safe integers), then in 32-bit integers.
    while (n > 0xffffffff) {
      const rest = Math.floor(n / 10);
      chunk[--at] = ZERO + (n - rest * 10);
      n = rest;
    }
    let small = n >>> 0;
    do {
      const rest = (small / 10) >>> 0;
      chunk[--at] = ZERO + (small - rest * 10);
      small = rest;
    } while (small > 0);
  }

  /** The separator after a field. */
  comma(): void {
    this.#room(1);
    this.#chunk[this.#used++] = COMMA;
  }

  /** Ends the line (its newline) and counts its length. */
  endLine(): void {
    this.#room(1);
    this.#chunk[this.#used++] = NEWLINE;
    const end = this.#before + this.#used;
    if (end - this.#lineStart > this.longestLine) this.longestLine = end - this.#lineStart;
    this.#lineStart = end;
  }

  /** Every byte written, in order, as the Buffers that hold them (valid until {@link release}). */
  buffers(): Buffer[] {
    return this.#used === 0 ? [...this.#full] : [...this.#full, this.#chunk.subarray(0, this.#used)];
  }

  #room(bytes: number): void {
    if (this.#used + bytes <= this.#chunk.length) return;
    if (this.#used > 0) this.#full.push(this.#chunk.subarray(0, this.#used));
    this.#before += this.#used;
    this.#chunk = this.#pool.take(Math.max(bytes, Math.min(MAX_CHUNK_BYTES, 2 * this.#chunk.length), MIN_CHUNK_BYTES));
    this.#taken.push(this.#chunk);
    this.#used = 0;
  }

  /**
   * Gives the Buffers back for other lines to be written into; this buffer is empty again. Only
   * once nothing reads {@link buffers} any more: the staged file written and its rows committed.
   */
  release(): void {
    this.#pool.give(this.#taken);
    this.#taken.length = 0;
    this.#full.length = 0;
    this.#chunk = EMPTY;
    this.#used = 0;
    this.#before = 0;
    this.#lineStart = 0;
    this.longestLine = 0;
  }
}

const EMPTY: Buffer = Buffer.alloc(0);

/** A first Buffer, and the size the Buffers double to. */
const MIN_CHUNK_BYTES = 4 * 1024;
const MAX_CHUNK_BYTES = 1024 * 1024;
/** `-9007199254740991`. */
const MAX_INTEGER_BYTES = 17;
const ZERO = 0x30;
const MINUS = 0x2d;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
