import { createMysqlPool, MysqlWindowRepository } from '@cryptostream/persistence';
import { Provider } from '@nestjs/common';
import type { Pool } from 'mysql2/promise';
import { AGGREGATOR_CONFIG, AggregatorConfig } from '../config/aggregator.config';

export const MYSQL_POOL = Symbol('MYSQL_POOL');

export const mysqlProviders: Provider[] = [
  {
    provide: MYSQL_POOL,
    inject: [AGGREGATOR_CONFIG],
    useFactory: (config: AggregatorConfig) => createMysqlPool(config.mysql, 4),
  },
  {
    provide: MysqlWindowRepository,
    inject: [MYSQL_POOL],
    useFactory: (pool: Pool) => new MysqlWindowRepository(pool),
  },
];
