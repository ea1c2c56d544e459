import { ensureDatabase, migrate } from '@cryptostream/persistence';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'mysql2/promise';
import { AGGREGATOR_CONFIG, AggregatorConfig } from '../config/aggregator.config';
import { backoffMs, sleep } from './backoff';
import { MYSQL_POOL } from './mysql.providers';

/**
 * Creates the database and applies the migrations, retrying with backoff while MySQL does not
 * answer: the process stays up (and not ready) instead of exiting.
 */
@Injectable()
export class MysqlSchemaService {
  readonly #logger = new Logger(MysqlSchemaService.name);
  #ready: Promise<void> | undefined;
  #lastError: string | undefined = 'migrations not applied yet';

  constructor(
    @Inject(AGGREGATOR_CONFIG) private readonly config: AggregatorConfig,
    @Inject(MYSQL_POOL) private readonly pool: Pool,
  ) {}

  /** Why the schema is not ready, or undefined once it is. */
  get problem(): string | undefined {
    return this.#lastError;
  }

  /** Resolves once the schema is migrated; starts the attempts on first call. */
  ready(): Promise<void> {
    this.#ready ??= this.#migrateWithRetry();
    return this.#ready;
  }

  async #migrateWithRetry(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await ensureDatabase(this.config.mysql);
        const applied = await migrate(this.pool);
        if (applied.length > 0) this.#logger.log(`applied migrations ${applied.join(', ')}`);
        this.#lastError = undefined;
        return;
      } catch (error) {
        this.#lastError = `cannot migrate ${this.config.mysql.host}:${this.config.mysql.port}: ${(error as Error).message}`;
        this.#logger.warn(`${this.#lastError}; retrying`);
        await sleep(backoffMs(attempt));
      }
    }
  }
}
