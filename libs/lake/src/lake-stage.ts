import type { DatasetName } from './lake-datasets';
import type { LakeRow } from './lake-row';

/**
 * The rows of one file to be written (one dataset, one directory) as CSV text, values in column
 * order, with what the manifest records of them. Each line is written as it comes (UTF-8) into
 * Buffers, outside the JavaScript heap: rows waiting for a commit are not objects the garbage
 * collector walks again and again, and no long string is joined and then encoded. The Buffers
 * grow by doubling, so a file of few rows holds little memory.
 */
export class StagedFile {
  rows = 0;
  firstOffset = Number.MAX_SAFE_INTEGER;
  lastOffset = -1;
  minEventTimeMs = Number.MAX_SAFE_INTEGER;
  maxEventTimeMs = Number.MIN_SAFE_INTEGER;
  /** The longest line, in characters (DuckDB's read buffer must hold it). */
  longestLine = 0;
  readonly #full: Buffer[] = [];
  #chunk = Buffer.allocUnsafe(0);
  #used = 0;

  constructor(
    readonly dataset: DatasetName,
    readonly partitionDir: string,
  ) {}

  add(row: LakeRow): void {
    const line = row.line;
    if (line.length > this.longestLine) this.longestLine = line.length;
    // A character takes up to 3 bytes of UTF-8.
    if (this.#used + 3 * line.length > this.#chunk.length) this.#grow(3 * line.length);
    this.#used += this.#chunk.write(line, this.#used);
    this.rows++;
    if (row.offset < this.firstOffset) this.firstOffset = row.offset;
    if (row.offset > this.lastOffset) this.lastOffset = row.offset;
    if (row.eventTimeMs < this.minEventTimeMs) this.minEventTimeMs = row.eventTimeMs;
    if (row.eventTimeMs > this.maxEventTimeMs) this.maxEventTimeMs = row.eventTimeMs;
  }

  /** The whole CSV text. */
  csv(): Buffer {
    const last = this.#chunk.subarray(0, this.#used);
    return this.#full.length === 0 ? last : Buffer.concat([...this.#full, last]);
  }

  #grow(bytes: number): void {
    if (this.#used > 0) this.#full.push(this.#chunk.subarray(0, this.#used));
    this.#chunk = Buffer.allocUnsafe(Math.max(bytes, Math.min(MAX_CHUNK_BYTES, 2 * this.#chunk.length), MIN_CHUNK_BYTES));
    this.#used = 0;
  }
}

/** A file's first Buffer, and the size its Buffers double to. */
const MIN_CHUNK_BYTES = 4 * 1024;
const MAX_CHUNK_BYTES = 1024 * 1024;

/** Rows grouped by the file they go to (dataset and directory), each file's rows in their order. */
export class LakeStage {
  readonly #files = new Map<DatasetName, Map<string, StagedFile>>();
  #rows = 0;

  /** A stage of these rows. */
  static of(rows: readonly LakeRow[]): LakeStage {
    const stage = new LakeStage();
    for (const row of rows) stage.add(row);
    return stage;
  }

  get rows(): number {
    return this.#rows;
  }

  add(row: LakeRow): void {
    // Keyed by dataset, then directory: no key string is made per row.
    let directories = this.#files.get(row.dataset);
    if (directories === undefined) this.#files.set(row.dataset, (directories = new Map()));
    let file = directories.get(row.partitionDir);
    if (file === undefined) directories.set(row.partitionDir, (file = new StagedFile(row.dataset, row.partitionDir)));
    file.add(row);
    this.#rows++;
  }

  files(): StagedFile[] {
    return [...this.#files.values()].flatMap((directories) => [...directories.values()]);
  }
}
