import type { DatasetName } from './lake-datasets';

/** A value as it is handed to DuckDB: decimals as their exact strings, times as epoch ms. */
export type LakeValue = string | number | boolean | null;

/** One record of a topic as the lake keeps it: where it goes and its values in column order. */
export interface LakeRow {
  readonly dataset: DatasetName;
  /** The Hive directory under the dataset, e.g. `market=linear/symbol=BTCUSDT/date=2025-03-04`. */
  readonly partitionDir: string;
  readonly eventTimeMs: number;
  readonly offset: number;
  readonly values: readonly LakeValue[];
}

/** `2025-03-04` for any time of that UTC day. */
export function utcDateOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
