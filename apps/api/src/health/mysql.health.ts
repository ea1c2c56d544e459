import { withTimeout } from '@cryptostream/service-runtime';
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { Pool } from 'mysql2/promise';
import { MYSQL_POOL } from '../persistence/persistence.module';

const PING_TIMEOUT_MS = 1_500;

/** MySQL is up when `SELECT 1` answers in time. */
@Injectable()
export class MysqlHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(MYSQL_POOL) private readonly pool: Pool,
  ) {}

  async check(key = 'mysql'): Promise<HealthIndicatorResult> {
    const session = this.health.check(key);
    const answer = this.pool.query('SELECT 1').then(() => undefined, (error: Error) => `SELECT 1 failed: ${error.message}`);
    const problem = await withTimeout(answer, PING_TIMEOUT_MS, () => `SELECT 1 did not answer within ${PING_TIMEOUT_MS} ms`);
    return problem ? session.down({ message: problem }) : session.up();
  }
}
