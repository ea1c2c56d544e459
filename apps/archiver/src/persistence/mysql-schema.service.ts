import { SchemaReadiness } from '@cryptostream/persistence';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'mysql2/promise';
import { ARCHIVER_CONFIG, ArchiverConfig } from '../config/archiver.config';
import { MYSQL_POOL } from './mysql.providers';

const logger = new Logger('MysqlSchemaService');

/**
 * The archiver's schema readiness (libs/persistence `SchemaReadiness`; the manifest's migrations
 * are among them); it also closes the pool at shutdown.
 */
@Injectable()
export class MysqlSchemaService extends SchemaReadiness implements OnApplicationShutdown {
  constructor(@Inject(ARCHIVER_CONFIG) config: ArchiverConfig, @Inject(MYSQL_POOL) private readonly mysqlPool: Pool) {
    super(mysqlPool, { mysql: config.mysql, migrate: config.mysqlMigrate, log: (message) => logger.log(message), warn: (message) => logger.warn(message) });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.mysqlPool.end().catch(() => undefined);
  }
}
