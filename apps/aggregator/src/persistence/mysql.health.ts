import { mysqlPingProblem } from '@cryptostream/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { Pool } from 'mysql2/promise';
import { MysqlSchemaService } from './mysql-schema.service';
import { MYSQL_POOL } from './mysql.providers';
import { WindowFlusher } from './window-flusher.service';

/** MySQL is up when the schema is migrated, `SELECT 1` answers, and the last write succeeded. */
@Injectable()
export class MysqlHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(MYSQL_POOL) private readonly pool: Pool,
    private readonly schema: MysqlSchemaService,
    private readonly flusher: WindowFlusher,
  ) {}

  async check(key = 'mysql'): Promise<HealthIndicatorResult> {
    const session = this.health.check(key);
    const problem = this.schema.problem ?? (await mysqlPingProblem(this.pool)) ?? this.flusher.problem;
    if (problem) return session.down({ message: problem, pendingWindows: this.flusher.pendingWindows });
    return session.up({ pendingWindows: this.flusher.pendingWindows });
  }
}
