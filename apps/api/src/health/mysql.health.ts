import { mysqlPingProblem } from '@cryptostream/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { Pool } from 'mysql2/promise';
import { MYSQL_POOL } from '../persistence/persistence.module';

/** MySQL is up when `SELECT 1` answers in time. */
@Injectable()
export class MysqlHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(MYSQL_POOL) private readonly pool: Pool,
  ) {}

  async check(key = 'mysql'): Promise<HealthIndicatorResult> {
    const session = this.health.check(key);
    const problem = await mysqlPingProblem(this.pool);
    return problem ? session.down({ message: problem }) : session.up();
  }
}
