import { mysqlPingProblem } from '@cryptostream/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { Pool } from 'mysql2/promise';
import { MysqlSchemaService } from './mysql-schema.service';
import { MYSQL_POOL } from './mysql.providers';

/** MySQL is up when the schema is migrated and `SELECT 1` answers. */
@Injectable()
export class MysqlHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(MYSQL_POOL) private readonly pool: Pool,
    private readonly schema: MysqlSchemaService,
  ) {}

  async check(key = 'mysql'): Promise<HealthIndicatorResult> {
    const session = this.health.check(key);
    const problem = this.schema.problem ?? (await mysqlPingProblem(this.pool));
    return problem ? session.down({ message: problem }) : session.up();
  }
}
