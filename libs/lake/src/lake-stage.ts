import type { DatasetName } from './lake-datasets';
import type { LakeRow } from './lake-row';

/**
 * The rows of one file to be written (one dataset, one directory) as CSV text, values in column
 * order, with what the manifest records of them. Sealed text is kept in Buffers, outside the
 * JavaScript heap: rows waiting for a commit are not objects the garbage collector walks again
 * and again.
 */
export class StagedFile {
  rows = 0;
  firstOffset = Number.MAX_SAFE_INTEGER;
  lastOffset = -1;
  minEventTimeMs = Number.MAX_SAFE_INTEGER;
  maxEventTimeMs = Number.MIN_SAFE_INTEGER;
  /** The longest line, in characters (DuckDB's read buffer must hold it). */
  longestLine = 0;
  readonly #sealed: Buffer[] = [];
  #text = '';

  constructor(
    readonly dataset: DatasetName,
    readonly partitionDir: string,
  ) {}

  add(row: LakeRow): void {
    const line = row.line;
    if (line.length > this.longestLine) this.longestLine = line.length;
    this.#text += line;
    this.rows++;
    if (row.offset < this.firstOffset) this.firstOffset = row.offset;
    if (row.offset > this.lastOffset) this.lastOffset = row.offset;
    if (row.eventTimeMs < this.minEventTimeMs) this.minEventTimeMs = row.eventTimeMs;
    if (row.eventTimeMs > this.maxEventTimeMs) this.maxEventTimeMs = row.eventTimeMs;
  }

  /** Moves the text added since the last call out of the heap (UTF-8). */
  seal(): void {
    if (this.#text === '') return;
    this.#sealed.push(Buffer.from(this.#text));
    this.#text = '';
  }

  /** The whole CSV text, sealed. */
  csv(): Buffer {
    this.seal();
    return this.#sealed.length === 1 ? this.#sealed[0] : Buffer.concat(this.#sealed);
  }
}

/** Rows grouped by the file they go to (dataset and directory), each file's rows in their order. */
export class LakeStage {
  readonly #files = new Map<DatasetName, Map<string, StagedFile>>();
  #rows = 0;

  /** A stage of these rows, sealed. */
  static of(rows: readonly LakeRow[]): LakeStage {
    const stage = new LakeStage();
    for (const row of rows) stage.add(row);
    stage.seal();
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

  /** Moves every file's new text out of the heap: call after each batch of rows. */
  seal(): void {
    for (const directories of this.#files.values()) for (const file of directories.values()) file.seal();
  }

  files(): StagedFile[] {
    return [...this.#files.values()].flatMap((directories) => [...directories.values()]);
  }
}
