import type { DatasetName } from './lake-datasets';
import { LineBuffer } from './lake-line-buffer';
import type { LakeRow } from './lake-row';
import { StageBuffers } from './lake-stage-buffers';

/**
 * The rows of one file to be written (one dataset, one directory) as CSV text, values in column
 * order, with what the manifest records of them. Each row writes its line as it comes into a
 * {@link LineBuffer}, outside the JavaScript heap: rows waiting for a commit are not objects the
 * garbage collector walks again and again.
 */
export class StagedFile {
  rows = 0;
  firstOffset = Number.MAX_SAFE_INTEGER;
  lastOffset = -1;
  minEventTimeMs = Number.MAX_SAFE_INTEGER;
  maxEventTimeMs = Number.MIN_SAFE_INTEGER;
  readonly #lines: LineBuffer;

  constructor(
    readonly dataset: DatasetName,
    readonly partitionDir: string,
    buffers: StageBuffers = new StageBuffers(),
  ) {
    this.#lines = new LineBuffer(buffers);
  }

  add(row: LakeRow): void {
    row.writeLine(this.#lines);
    this.rows++;
    if (row.offset < this.firstOffset) this.firstOffset = row.offset;
    if (row.offset > this.lastOffset) this.lastOffset = row.offset;
    if (row.eventTimeMs < this.minEventTimeMs) this.minEventTimeMs = row.eventTimeMs;
    if (row.eventTimeMs > this.maxEventTimeMs) this.maxEventTimeMs = row.eventTimeMs;
  }

  /** The longest line, in bytes with its newline (DuckDB's read buffer must hold it). */
  get longestLine(): number {
    return this.#lines.longestLine;
  }

  /** The whole CSV text, as the Buffers that hold it (written one after the other: never copied into one). */
  csv(): Buffer[] {
    return this.#lines.buffers();
  }

  /** Gives its Buffers back to the pool; {@link csv} must not be read after. */
  release(): void {
    this.#lines.release();
  }
}

/**
 * Rows grouped by the file they go to (dataset and directory), each file's rows in their order.
 * Its files' text is written into Buffers from `buffers`, given back by {@link release} once the
 * files are committed, for the next stage.
 */
export class LakeStage {
  readonly #files = new Map<DatasetName, Map<string, StagedFile>>();
  #rows = 0;

  constructor(private readonly buffers: StageBuffers = new StageBuffers()) {}

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
    if (file === undefined) directories.set(row.partitionDir, (file = new StagedFile(row.dataset, row.partitionDir, this.buffers)));
    file.add(row);
    this.#rows++;
  }

  files(): StagedFile[] {
    return [...this.#files.values()].flatMap((directories) => [...directories.values()]);
  }

  /**
   * Gives every file's Buffers back to the pool and empties the stage. Only after its files are
   * written and committed: a commit that failed is tried again from the same text.
   */
  release(): void {
    for (const file of this.files()) file.release();
    this.#files.clear();
    this.#rows = 0;
  }
}
