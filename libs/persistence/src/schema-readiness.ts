import { retry } from '@cryptostream/service-runtime';
import type { Pool } from 'mysql2/promise';
import { checkMigrated, migrate } from './migrate';
import { ensureDatabase } from './mysql-pool';
import type { MysqlSettings } from './mysql-url';

export interface SchemaReadinessOptions {
  readonly mysql: MysqlSettings;
  /** Whether to create the database and apply the migrations (`MYSQL_MIGRATE`), or only check that they are applied. */
  readonly migrate: boolean;
  readonly log: (message: string) => void;
  readonly warn: (message: string) => void;
}

/**
 * An app's MySQL schema made ready: creates the database and applies the migrations — or, with
 * `MYSQL_MIGRATE=off` (a user with rights on the tables only), checks that a migrations user has
 * applied them — retrying with backoff while MySQL does not answer or the schema is behind, so
 * that the process stays up (and not ready) instead of exiting. Every app that writes MySQL
 * wraps this one in its Nest provider.
 */
export class SchemaReadiness {
  #ready: Promise<void> | undefined;
  #lastError: string | undefined = 'migrations not applied yet';

  constructor(
    private readonly pool: Pool,
    private readonly options: SchemaReadinessOptions,
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
    const { mysql, migrate: migrating } = this.options;
    const applied = await retry(
      async () => {
        if (!migrating) {
          await checkMigrated(this.pool);
          return [];
        }
        await ensureDatabase(mysql);
        return migrate(this.pool);
      },
      {
        onRetry: (error, attempt, delayMs) => {
          this.#lastError = `cannot ${migrating ? 'migrate' : 'check the schema of'} ${mysql.host}:${mysql.port}/${mysql.database}: ${(error as Error).message}`;
          this.options.warn(`${this.#lastError}; retry ${attempt} in ${delayMs} ms`);
        },
      },
    );
    if (applied.length > 0) this.options.log(`applied migrations ${applied.join(', ')}`);
    this.#lastError = undefined;
  }
}
