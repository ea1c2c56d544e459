import { createMysqlPool, MysqlCandleRepository } from '@cryptostream/persistence';
import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'mysql2/promise';
import { API_CONFIG, ApiConfig } from '../config/api.config';

export const MYSQL_POOL = Symbol('MYSQL_POOL');

/** MySQL, read only: the pool and the candle repository. The aggregator owns the schema. */
@Global()
@Module({
  providers: [
    { provide: MYSQL_POOL, inject: [API_CONFIG], useFactory: (config: ApiConfig) => createMysqlPool(config.mysql, 8) },
    { provide: MysqlCandleRepository, inject: [MYSQL_POOL], useFactory: (pool: Pool) => new MysqlCandleRepository(pool) },
  ],
  exports: [MYSQL_POOL, MysqlCandleRepository],
})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(MYSQL_POOL) private readonly pool: Pool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
