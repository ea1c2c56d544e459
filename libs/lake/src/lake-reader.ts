import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { join } from 'node:path';
import { DATASETS, DatasetName, LakeDataset } from './lake-datasets';
import { LakeDuckdbOptions, openLakeDuckdb, sqlString } from './lake-duckdb';
import type { LakeManifest, ListedFile } from './lake-manifest';

/** The types of the Hive keys: never guessed from the values (a symbol like 1000PEPEUSDT stays text). */
const KEY_TYPES: Readonly<Record<string, string>> = { market: 'VARCHAR', symbol: 'VARCHAR', interval: 'VARCHAR', date: 'DATE' };

/** Narrows the files a view reads (the manifest's event times and directories). */
export interface LakeFilter {
  readonly fromMs?: number;
  readonly toMs?: number;
  /** Only this symbol's directories (trades, candles). */
  readonly symbol?: string;
}

/** A query's answer: column names and rows of JSON-ready values (decimals and 64-bit integers as strings). */
export interface LakeAnswer {
  readonly columns: string[];
  readonly rows: unknown[][];
}

/**
 * Reads the lake with an embedded DuckDB, over committed files only: the views `trades`,
 * `candles` (the latest revision of each candle), `candle_revisions` (every final update) and
 * `dead_letters` each read the files `lake_files` lists at the time of {@link refresh}, never a
 * file being written or one a compaction has retired.
 */
export class LakeReader {
  private constructor(
    readonly root: string,
    readonly manifest: LakeManifest,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  static async open(root: string, manifest: LakeManifest, options: LakeDuckdbOptions & LakeFilter = {}): Promise<LakeReader> {
    const { connection, instance } = await openLakeDuckdb(options);
    const reader = new LakeReader(root, manifest, instance, connection);
    await reader.refresh(options);
    return reader;
  }

  /** (Re)creates the views over the files committed now. */
  async refresh(filter: LakeFilter = {}): Promise<void> {
    const like = filter.symbol === undefined ? undefined : `%symbol=${filter.symbol}/%`;
    for (const name of Object.keys(DATASETS) as DatasetName[]) {
      const files = await this.manifest.committedFiles(name, { fromMs: filter.fromMs, toMs: filter.toMs, partitionDirLike: name === 'dead_letters' ? undefined : like });
      const source = datasetSource(this.root, DATASETS[name], files);
      if (name === 'candles') {
        await this.connection.run(`CREATE OR REPLACE VIEW candle_revisions AS ${source}`);
        await this.connection.run(
          'CREATE OR REPLACE VIEW candles AS SELECT * FROM candle_revisions ' +
            'QUALIFY row_number() OVER (PARTITION BY "interval", symbol, start_time ORDER BY revision DESC, kafka_partition, kafka_offset DESC) = 1',
        );
      } else {
        await this.connection.run(`CREATE OR REPLACE VIEW ${name} AS ${source}`);
      }
    }
  }

  async query(sql: string): Promise<LakeAnswer> {
    const reader = await this.connection.runAndReadAll(sql);
    return { columns: reader.columnNames(), rows: reader.getRowsJson() as unknown[][] };
  }

  /** The answer in chunks of rows, read as they are consumed: memory stays bounded by a chunk (2,048 rows). */
  async *stream(sql: string, values?: (string | number)[]): AsyncGenerator<unknown[][]> {
    const result = await this.connection.stream(sql, values);
    for await (const rows of result.yieldRowsJson()) yield rows as unknown[][];
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/**
 * A SELECT of a dataset's files (paths relative to `root`), Hive keys first; a typed empty
 * relation when there are none. Readers that must not share views (concurrent requests) query it directly.
 */
export function datasetSource(root: string, dataset: LakeDataset, files: readonly ListedFile[]): string {
  const keys = dataset.partitionKeys.map((key) => `"${key}"`);
  const columns = dataset.columns.map((column) => column.name);
  if (files.length === 0) {
    const nulls = [
      ...dataset.partitionKeys.map((key) => `CAST(NULL AS ${KEY_TYPES[key]}) AS "${key}"`),
      ...dataset.columns.map((column) => `CAST(NULL AS ${column.fileType}) AS ${column.name}`),
    ];
    return `SELECT ${nulls.join(', ')} WHERE false`;
  }
  const list = files.map((file) => sqlString(join(root, file.path))).join(', ');
  const types = dataset.partitionKeys.map((key) => `'${key}': ${KEY_TYPES[key]}`).join(', ');
  return `SELECT ${[...keys, ...columns].join(', ')} FROM read_parquet([${list}], hive_partitioning = true, hive_types = {${types}})`;
}
