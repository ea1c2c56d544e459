import { LAKE_TRADE_FIELDS, LakeManifest, lakeTradeOf, openLakeDuckdb, PARQUET_OPTIONS, sqlString, tradeRangeQuery } from '@cryptostream/lake';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_CONFIG, ApiConfig } from '../config/api.config';
import { MYSQL_POOL } from '../persistence/persistence.module';
import type { TradeQuery } from './trade-query';

/**
 * Reads a symbol's trades from the lake's committed files through one embedded DuckDB (a
 * connection per request, its memory bounded by DuckDB's limit), a chunk of rows at a time.
 */
@Injectable()
export class LakeTradesService implements OnApplicationShutdown {
  readonly #manifest: LakeManifest;
  #duckdb: Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> | undefined;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(MYSQL_POOL) pool: Pool,
  ) {
    this.#manifest = new LakeManifest(pool);
  }

  /** The trades as rows of {@link LAKE_TRADE_FIELDS} values, in event-time order, chunk by chunk. */
  async *rows(query: TradeQuery): AsyncGenerator<unknown[][]> {
    const { sql, values } = await tradeRangeQuery(this.config.lakeDir, this.#manifest, { fromMs: query.fromMs, toMs: query.toMs, symbols: [query.symbol] });
    const connection = await this.#connection();
    try {
      const result = await connection.stream(sql, values);
      for await (const rows of result.yieldRowsJson()) {
        yield rows.map((row) => {
          const trade = lakeTradeOf(row as unknown[]);
          return LAKE_TRADE_FIELDS.map((field) => trade[field]);
        });
      }
    } finally {
      connection.closeSync();
    }
  }

  /** Writes the trades to a Parquet file of their own under the temporary directory; the caller streams and removes it. */
  async parquetFile(query: TradeQuery): Promise<string> {
    const { sql, values } = await tradeRangeQuery(this.config.lakeDir, this.#manifest, { fromMs: query.fromMs, toMs: query.toMs, symbols: [query.symbol] }, true);
    const path = join(tmpdir(), `cryptostream-trades-${randomBytes(6).toString('hex')}.parquet`);
    const connection = await this.#connection();
    try {
      const prepared = await connection.prepare(`COPY (${sql}) TO ${sqlString(path)} (${PARQUET_OPTIONS})`);
      prepared.bind(values);
      await prepared.run();
      return path;
    } finally {
      connection.closeSync();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const duckdb = await this.#duckdb;
    duckdb?.connection.closeSync();
    duckdb?.instance.closeSync();
  }

  async #connection(): Promise<DuckDBConnection> {
    this.#duckdb ??= openLakeDuckdb({ threads: 2, memoryLimit: '256MB' });
    return (await this.#duckdb).instance.connect();
  }
}
