import { checkMigrated, ensureDatabase, migrate } from '@cryptostream/persistence';
import { retry } from '@cryptostream/service-runtime';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'mysql2/promise';
import { ARCHIVER_CONFIG, ArchiverConfig } from '../config/archiver.config';
import { MYSQL_POOL } from './mysql.providers';

/**
 * Creates the database and applies the migrations (the manifest's among them) — or, with
 * `MYSQL_MIGRATE=off` (the archiver's user has rights on its tables only), checks that a
 * migrations user has applied them — retrying with backoff while MySQL does not answer or the
 * schema is behind: the process stays up (and not ready) instead of exiting.
 */
@Injectable()
export class MysqlSchemaService implements OnApplicationShutdown {
  readonly #logger = new Logger(MysqlSchemaService.name);
  #ready: Promise<void> | undefined;
  #lastError: string | undefined = 'migrations not applied yet';

  constructor(
    @Inject(ARCHIVER_CONFIG) private readonly config: ArchiverConfig,
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

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }

  async #migrateWithRetry(): Promise<void> {
    const applied = await retry(
      async () => {
        if (!this.config.mysqlMigrate) {
          await checkMigrated(this.pool);
          return [];
        }
        await ensureDatabase(this.config.mysql);
        return migrate(this.pool);
      },
      {
        onRetry: (error, attempt, delayMs) => {
          const doing = this.config.mysqlMigrate ? 'migrate' : 'check the schema of';
          this.#lastError = `cannot ${doing} ${this.config.mysql.host}:${this.config.mysql.port}/${this.config.mysql.database}: ${(error as Error).message}`;
          this.#logger.warn(`${this.#lastError}; retry ${attempt} in ${delayMs} ms`);
        },
      },
    );
    if (applied.length > 0) this.#logger.log(`applied migrations ${applied.join(', ')}`);
    this.#lastError = undefined;
  }
}
