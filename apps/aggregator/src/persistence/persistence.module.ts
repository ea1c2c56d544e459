import { MysqlWindowRepository } from '@cryptostream/persistence';
import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { Pool } from 'mysql2/promise';
import { MysqlHealthIndicator } from './mysql.health';
import { MYSQL_POOL, mysqlProviders } from './mysql.providers';
import { MysqlSchemaService } from './mysql-schema.service';
import { WindowFlusher } from './window-flusher.service';

/** MySQL: the pool, the schema, the transactional window writer and its health indicator. */
@Module({
  imports: [TerminusModule],
  providers: [...mysqlProviders, MysqlSchemaService, WindowFlusher, MysqlHealthIndicator],
  exports: [MYSQL_POOL, MysqlWindowRepository, MysqlSchemaService, WindowFlusher, MysqlHealthIndicator],
})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(MYSQL_POOL) private readonly pool: Pool) {}

  /** Runs after the consumer has stopped and the last windows are written. */
  async onApplicationShutdown(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
