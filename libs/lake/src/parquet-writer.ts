import { BIGINT, BOOLEAN, DuckDBDataChunk, INTEGER, VARCHAR, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { DATASETS, DatasetName, LakeDataset, StageType } from './lake-datasets';
import { sqlString } from './lake-duckdb';
import type { LakeRow } from './lake-row';

/** Parquet writer settings: ZSTD, and format v2 for its delta encodings of ids, offsets and times. */
export const PARQUET_OPTIONS = "FORMAT PARQUET, COMPRESSION ZSTD, PARQUET_VERSION V2";

/**
 * Writes rows of one dataset to a Parquet file through DuckDB: the rows go to a staging table as
 * strings and integers (decimals as their exact strings), a column of 2,048 rows at a time
 * (DuckDB's data chunks: one call a column, not one a value), and one `COPY (SELECT CAST …)`
 * writes them with the file types — DECIMAL(p,s) cast from the string (exact; a value that does
 * not fit fails the write, it is never rounded), TIMESTAMP_MS from epoch ms.
 */
export class ParquetWriter {
  readonly #staged = new Set<DatasetName>();

  constructor(private readonly connection: DuckDBConnection) {}

  /** Writes `rows` (all of `dataset`) to `path`, replacing any file there. */
  async write(dataset: DatasetName, rows: readonly LakeRow[], path: string): Promise<void> {
    const definition = DATASETS[dataset];
    const stage = await this.#stage(definition);
    await this.connection.run(`DELETE FROM ${stage}`);
    const appender = await this.connection.createAppender(stage);
    try {
      const types = definition.columns.map((column) => STAGE_TYPES[column.stageType]);
      for (let from = 0; from < rows.length; from += CHUNK_ROWS) {
        const slice = rows.slice(from, from + CHUNK_ROWS);
        const chunk = DuckDBDataChunk.create(types, slice.length);
        definition.columns.forEach((column, index) => chunk.setColumnValues(index, columnValues(slice, index, column.stageType)));
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    await this.connection.run(`COPY (SELECT ${definition.columns.map(castOf).join(', ')} FROM ${stage}) TO ${sqlString(path)} (${PARQUET_OPTIONS})`);
    await this.connection.run(`DELETE FROM ${stage}`);
  }

  async #stage(dataset: LakeDataset): Promise<string> {
    const name = `stage_${dataset.name}`;
    if (!this.#staged.has(dataset.name)) {
      await this.connection.run(`CREATE OR REPLACE TEMP TABLE ${name} (${dataset.columns.map((c) => `${c.name} ${c.stageType}`).join(', ')})`);
      this.#staged.add(dataset.name);
    }
    return name;
  }
}

function castOf(column: LakeDataset['columns'][number]): string {
  if (column.fileType === 'TIMESTAMP_MS') return `CAST(epoch_ms(${column.name}) AS TIMESTAMP_MS) AS ${column.name}`;
  if (column.fileType === column.stageType) return column.name;
  return `CAST(${column.name} AS ${column.fileType}) AS ${column.name}`;
}

/** DuckDB's vector size: a data chunk holds at most this many rows. */
const CHUNK_ROWS = 2048;

const STAGE_TYPES: Readonly<Record<StageType, DuckDBType>> = { VARCHAR, BIGINT, INTEGER, BOOLEAN };

/** One column of the rows as the vector takes it (64-bit integers as bigint). */
function columnValues(rows: readonly LakeRow[], index: number, type: StageType): DuckDBValue[] {
  if (type === 'BIGINT') return rows.map((row) => (row.values[index] === null ? null : BigInt(row.values[index] as number)));
  if (type === 'VARCHAR') return rows.map((row) => (row.values[index] === null ? null : String(row.values[index])));
  return rows.map((row) => row.values[index] ?? null) as DuckDBValue[];
}
