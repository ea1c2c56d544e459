import type { DuckDBConnection } from '@duckdb/node-api';
import { rm, writeFile } from 'node:fs/promises';
import { DATASETS, DatasetName, LakeColumn, LakeDataset } from './lake-datasets';
import { sqlString } from './lake-duckdb';
import { stagingPathOf } from './lake-paths';
import type { LakeRow } from './lake-row';
import { StagedFile } from './lake-stage';

/** Parquet writer settings: ZSTD, and format v2 for its delta encodings of ids, offsets and times. */
export const PARQUET_OPTIONS = "FORMAT PARQUET, COMPRESSION ZSTD, PARQUET_VERSION V2";

/**
 * Writes rows of one dataset to a Parquet file through DuckDB: the rows, staged as CSV text
 * ({@link StagedFile}; decimals as their exact strings, times as epoch ms), are written beside the
 * file ({@link stagingPathOf}), and one `COPY (SELECT CAST … FROM read_csv(…))` with every
 * column's type given (nothing is guessed) writes the file with its types — DECIMAL(p,s) cast
 * from the string (exact; a value that does not fit fails the write), TIMESTAMP_MS from epoch ms.
 * Handing DuckDB one text to parse costs a fraction of passing it the values one by one through
 * its appender.
 */
export class ParquetWriter {
  constructor(private readonly connection: DuckDBConnection) {}

  /** Writes `rows` (all of `dataset`) to `path`, replacing any file there. */
  async write(dataset: DatasetName, rows: readonly LakeRow[], path: string): Promise<void> {
    const file = new StagedFile(dataset, '');
    for (const row of rows) file.add(row);
    await this.writeStaged(file, path);
  }

  /** Writes a staged file's rows to `path`, replacing any file there. */
  async writeStaged(file: StagedFile, path: string): Promise<void> {
    const definition = DATASETS[file.dataset];
    const staged = stagingPathOf(path);
    try {
      await writeFile(staged, file.csv());
      await this.connection.run(`COPY (SELECT ${definition.columns.map(castOf).join(', ')} FROM ${readStaged(definition, staged, file.longestLine)}) TO ${sqlString(path)} (${PARQUET_OPTIONS})`);
    } finally {
      await rm(staged, { force: true });
    }
  }
}

/**
 * The staged text read back with the stage types given: RFC 4180 quoting (a quote doubled), an
 * empty unquoted field as NULL and `""` as the empty string. DuckDB's read buffer (allocated
 * whole, within LAKE_DUCKDB_MEMORY_LIMIT) holds the longest line: a dead letter's payload can be
 * as long as a Kafka record.
 */
function readStaged(dataset: LakeDataset, path: string, longestLineBytes: number): string {
  const columns = dataset.columns.map((column) => `${sqlString(column.name)}: ${sqlString(column.stageType)}`).join(', ');
  const lineBytes = Math.max(MIN_LINE_BYTES, longestLineBytes + 1);
  return `read_csv(${sqlString(path)}, columns = {${columns}}, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', new_line = '\\n', allow_quoted_nulls = false, strict_mode = true, max_line_size = ${lineBytes}, buffer_size = ${lineBytes})`;
}

/** DuckDB's read buffer for the staged text: as fast as its default (16 × 2 MB) at an eighth of its memory. */
const MIN_LINE_BYTES = 4 * 1024 * 1024;

function castOf(column: LakeColumn): string {
  if (column.fileType === 'TIMESTAMP_MS') return `CAST(epoch_ms(${column.name}) AS TIMESTAMP_MS) AS ${column.name}`;
  if (column.fileType === column.stageType) return column.name;
  return `${exactDecimalCast(column.name, column.fileType)} AS ${column.name}`;
}

/** DuckDB's widest DECIMAL held in 64 bits; wider ones are 128-bit (HUGEINT) inside. */
const INT64_DECIMAL_PRECISION = 18;

/**
 * `CAST(text AS DECIMAL(p,s))`, exact. DuckDB's string-to-DECIMAL cast is about fifty times
 * slower when p > 18 (the 128-bit path) for any value with a non-zero integer part, so a value
 * is first cast to DECIMAL(18,s) — the same digits while it fits, `NULL` when it does not — and
 * widened, which is exact; only wider values take the 128-bit cast.
 */
export function exactDecimalCast(text: string, fileType: string): string {
  const decimal = /^DECIMAL\((\d+),(\d+)\)$/.exec(fileType);
  if (decimal === null) return `CAST(${text} AS ${fileType})`;
  const [precision, scale] = [Number(decimal[1]), Number(decimal[2])];
  if (precision <= INT64_DECIMAL_PRECISION || scale > INT64_DECIMAL_PRECISION) return `CAST(${text} AS ${fileType})`;
  return `COALESCE(CAST(TRY_CAST(${text} AS DECIMAL(${INT64_DECIMAL_PRECISION},${scale})) AS ${fileType}), CAST(${text} AS ${fileType}))`;
}
