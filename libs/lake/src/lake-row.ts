import type { DatasetName } from './lake-datasets';
import type { LineBuffer } from './lake-line-buffer';

/** A value as it is handed to DuckDB: decimals as their exact strings, times as epoch ms. */
export type LakeValue = string | number | boolean | null;

/** One record of a topic as the lake keeps it: where it goes and its values, in column order, as a CSV line. */
export interface LakeRow {
  readonly dataset: DatasetName;
  /** The Hive directory under the dataset, e.g. `market=linear/symbol=BTCUSDT/date=2025-03-04`. */
  readonly partitionDir: string;
  readonly eventTimeMs: number;
  readonly offset: number;
  /** Writes the values as DuckDB reads them back (RFC 4180, as {@link csvLine}), with the newline. */
  writeLine(out: LineBuffer): void;
}

/** A row whose line is made whole first ({@link csvLine}): candles and dead letters, whose text may need quoting. */
export class CsvRow implements LakeRow {
  constructor(
    readonly dataset: DatasetName,
    readonly partitionDir: string,
    readonly eventTimeMs: number,
    readonly offset: number,
    readonly line: string,
  ) {}

  writeLine(out: LineBuffer): void {
    out.text(this.line);
    out.endLine();
  }
}

/** Characters a string may hold and still go unquoted: decimals, ids, sources, symbols. */
const PLAIN = /^[A-Za-z0-9_.:+-]+$/;

/** One row as a CSV line without its newline (RFC 4180: a field with other characters quoted, a quote doubled; null as an empty field). */
export function csvLine(values: readonly LakeValue[]): string {
  let line = csvField(values[0]);
  for (let index = 1; index < values.length; index++) line += `,${csvField(values[index])}`;
  return line;
}

function csvField(value: LakeValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return PLAIN.test(value) ? value : `"${value.replace(/"/g, '""')}"`;
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`${value} cannot be written to the lake`);
  return String(value);
}

/** `2025-03-04` for any time of that UTC day. */
export function utcDateOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
