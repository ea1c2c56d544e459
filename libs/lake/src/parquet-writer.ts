import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { DATASETS, DatasetName, LakeDataset } from './lake-datasets';
import { sqlString } from './lake-duckdb';
import type { LakeRow, LakeValue } from './lake-row';

/** Parquet writer settings: ZSTD, and format v2 for its delta encodings of ids, offsets and times. */
export const PARQUET_OPTIONS = "FORMAT PARQUET, COMPRESSION ZSTD, PARQUET_VERSION V2";

/**
 * Writes rows of one dataset to a Parquet file through DuckDB: the rows go to a staging table as
 * strings and integers (decimals as their exact strings), and one `COPY (SELECT CAST …)` writes
 * them with the file types — DECIMAL(p,s) cast from the string (exact; a value that does not fit
 * fails the write, it is never rounded), TIMESTAMP_MS from epoch ms.
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
      for (const row of rows) {
        appendRow(appender, definition, row.values);
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

function appendRow(appender: DuckDBAppender, dataset: LakeDataset, values: readonly LakeValue[]): void {
  const { columns } = dataset;
  for (let i = 0; i < columns.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) {
      appender.appendNull();
      continue;
    }
    switch (columns[i].stageType) {
      case 'VARCHAR':
        appender.appendVarchar(String(value));
        break;
      case 'BIGINT':
        appender.appendBigInt(BigInt(value as number));
        break;
      case 'INTEGER':
        appender.appendInteger(value as number);
        break;
      case 'BOOLEAN':
        appender.appendBoolean(value as boolean);
        break;
    }
  }
  appender.endRow();
}
