import { LakeManifest } from '@cryptostream/lake';
import { createMysqlPool } from '@cryptostream/persistence';
import { Provider } from '@nestjs/common';
import type { Pool } from 'mysql2/promise';
import { ARCHIVER_CONFIG, ArchiverConfig } from '../config/archiver.config';

export const MYSQL_POOL = Symbol('MYSQL_POOL');

export const mysqlProviders: Provider[] = [
  {
    provide: MYSQL_POOL,
    inject: [ARCHIVER_CONFIG],
    useFactory: (config: ArchiverConfig) => createMysqlPool(config.mysql, 2),
  },
  {
    provide: LakeManifest,
    inject: [MYSQL_POOL],
    useFactory: (pool: Pool) => new LakeManifest(pool),
  },
];
