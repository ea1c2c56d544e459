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
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`SELECT 1 did not answer within ${PING_TIMEOUT_MS} ms`), PING_TIMEOUT_MS)));
    const problem = await Promise.race([
      this.pool.query('SELECT 1').then(() => undefined, (error: Error) => `SELECT 1 failed: ${error.message}`),
      timeout,
    ]).finally(() => clearTimeout(timer));
    return problem ? session.down({ message: problem }) : session.up();
  }
}
