import { withTimeout } from '@cryptostream/service-runtime';
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { Pool } from 'mysql2/promise';
import { MysqlSchemaService } from './mysql-schema.service';
import { MYSQL_POOL } from './mysql.providers';
import { WindowFlusher } from './window-flusher.service';

const PING_TIMEOUT_MS = 1_500;

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
    const problem = this.schema.problem ?? (await this.#ping()) ?? this.flusher.problem;
    if (problem) return session.down({ message: problem, pendingWindows: this.flusher.pendingWindows });
    return session.up({ pendingWindows: this.flusher.pendingWindows });
  }

  #ping(): Promise<string | undefined> {
    const answer = this.pool.query('SELECT 1').then(() => undefined, (error: Error) => `SELECT 1 failed: ${error.message}`);
    return withTimeout(answer, PING_TIMEOUT_MS, () => `SELECT 1 did not answer within ${PING_TIMEOUT_MS} ms`);
  }
}
