import type { DatasetName } from './lake-datasets';

const SAFE_VALUE = /^[A-Za-z0-9_.-]+$/;

/** `market=linear/symbol=BTCUSDT/date=2025-03-04`: Hive directories, keys in the order given. */
export function hivePath(values: Readonly<Record<string, string>>): string {
  return Object.entries(values)
    .map(([key, value]) => {
      if (!SAFE_VALUE.test(value)) throw new Error(`${key}=${JSON.stringify(value)} cannot be a lake directory name`);
      return `${key}=${value}`;
    })
    .join('/');
}

/** What a file holds: one topic partition's records from `firstOffset` to `lastOffset`. */
export interface FileSpan {
  readonly topic: string;
  readonly partition: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
}

/**
 * A file's path relative to LAKE_DIR: named by the topic partition and offsets it holds, plus a
 * token of the writer, so that two archivers (one of them fenced off after a rebalance) never
 * write the same name. A compaction's file starts with `compacted-`.
 */
export function lakeFilePath(dataset: DatasetName, partitionDir: string, span: FileSpan, token: string, compacted = false): string {
  const name = `${compacted ? 'compacted-' : ''}${span.topic}-${span.partition}-${span.firstOffset}-${span.lastOffset}-${token}.parquet`;
  return `${dataset}/${partitionDir}/${name}`;
}

/** Where a file is written before its rename: the same directory, so the rename is atomic. */
export function temporaryPathOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return `${path.slice(0, slash + 1)}.${path.slice(slash + 1)}.tmp`;
}

/** Where the rows of a file being written wait, as CSV, for DuckDB to read them: beside it, removed once it is written. */
export function stagingPathOf(path: string): string {
  return `${path}.csv`;
}

/** True for the lake's own file names (data files, their temporaries and staged rows), the only ones it ever removes. */
export function isLakeFileName(name: string): boolean {
  return name.endsWith('.parquet') || (name.startsWith('.') && (name.endsWith('.parquet.tmp') || name.endsWith('.parquet.tmp.csv')));
}
