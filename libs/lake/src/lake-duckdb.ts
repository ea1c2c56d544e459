import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export interface LakeDuckdbOptions {
  /** DuckDB's worker threads (the archiver runs on one core: 1). */
  readonly threads?: number;
  /** DuckDB's memory limit, like `256MB`: what bounds a query's (or a write's) memory. */
  readonly memoryLimit?: string;
}

/**
 * An embedded, in-memory DuckDB for the lake. Its Parquet reader and writer are built in; automatic
 * extension installs and loads are off, so nothing is ever fetched from the network at run time.
 */
export async function openLakeDuckdb(options: LakeDuckdbOptions = {}): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    ...(options.threads === undefined ? {} : { threads: String(options.threads) }),
    ...(options.memoryLimit === undefined ? {} : { memory_limit: options.memoryLimit }),
  });
  const connection = await instance.connect();
  return { instance, connection };
}

/** A string as a SQL literal. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
