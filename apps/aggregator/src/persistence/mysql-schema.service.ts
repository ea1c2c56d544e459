import { SchemaReadiness } from '@cryptostream/persistence';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Pool } from 'mysql2/promise';
import { AGGREGATOR_CONFIG, AggregatorConfig } from '../config/aggregator.config';
import { MYSQL_POOL } from './mysql.providers';

const logger = new Logger('MysqlSchemaService');

/**
 * The aggregator's schema readiness (libs/persistence `SchemaReadiness`: `MYSQL_MIGRATE` decides
 * whether it migrates). The attempts start with the app, while the Kafka consumer connects: it
 * waits for them before it joins its group.
 */
@Injectable()
export class MysqlSchemaService extends SchemaReadiness implements OnApplicationBootstrap {
  constructor(@Inject(AGGREGATOR_CONFIG) config: AggregatorConfig, @Inject(MYSQL_POOL) pool: Pool) {
    super(pool, { mysql: config.mysql, migrate: config.mysqlMigrate, log: (message) => logger.log(message), warn: (message) => logger.warn(message) });
  }

  onApplicationBootstrap(): void {
    // Whoever awaits ready() sees a failure; this start only must not leave it unhandled.
    this.ready().catch(() => undefined);
  }
}
