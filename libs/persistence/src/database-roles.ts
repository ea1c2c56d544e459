import type { Pool } from 'mysql2/promise';

/**
 * The MySQL users of cryptostream, one per role, each with the least it needs — the one
 * statement of the grants (scripts/mysql.sh users, the tests and docs/security.md follow it).
 */
export const DATABASE_ROLES = ['migrations', 'aggregator', 'reader', 'archiver'] as const;
export type DatabaseRole = (typeof DATABASE_ROLES)[number];

/** The user name of each role (`<prefix><role>`, `cryptostream_aggregator` by default). */
export function roleUser(role: DatabaseRole, prefix = 'cryptostream_'): string {
  return `${prefix}${role}`;
}

/** What a role may do, on which tables of the database (`*` for all of them). */
export interface RoleGrant {
  readonly privileges: readonly string[];
  readonly tables: readonly string[];
}

/**
 * - migrations: everything on the database (creates it, changes the schema: `npx nx run persistence:migrate`);
 * - aggregator: reads and writes its own tables only, no DDL (`MYSQL_MIGRATE=off`, or on with the schema up to date);
 * - reader: `SELECT` only (the API, `dlq`/reporting tools, Grafana);
 * - archiver: reads the windows, writes its manifest (`lake_files`, `lake_progress` of migration 011).
 */
export const ROLE_GRANTS: Readonly<Record<DatabaseRole, readonly RoleGrant[]>> = {
  migrations: [{ privileges: ['ALL PRIVILEGES'], tables: ['*'] }],
  aggregator: [
    { privileges: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'], tables: ['moving_averages', 'consumer_progress', 'window_state', 'dead_windows'] },
    { privileges: ['SELECT'], tables: ['schema_migrations'] },
  ],
  reader: [{ privileges: ['SELECT'], tables: ['*'] }],
  archiver: [
    { privileges: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'], tables: ['lake_files', 'lake_progress'] },
    { privileges: ['SELECT'], tables: ['moving_averages', 'dead_windows', 'schema_migrations'] },
  ],
};

const IDENTIFIER = /^[A-Za-z0-9_]{1,64}$/;

function checked(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`${JSON.stringify(name)} is not a plain MySQL name (letters, digits, _)`);
  return name;
}

/**
 * The statements that give `user` (at any host) the rights of `role` on `database`: table
 * grants need the tables, so they run once the migrations have. Idempotent.
 */
export function roleGrantStatements(role: DatabaseRole, database: string, user: string): string[] {
  return ROLE_GRANTS[role].flatMap(({ privileges, tables }) =>
    tables.map((table) => `GRANT ${privileges.join(', ')} ON \`${checked(database)}\`.${table === '*' ? '*' : `\`${checked(table)}\``} TO '${checked(user)}'@'%'`),
  );
}

export interface RoleUser {
  readonly role: DatabaseRole;
  readonly user: string;
  readonly password: string;
  /** The server refuses the user in plaintext (`REQUIRE SSL`). */
  readonly requireSsl: boolean;
}

/**
 * Creates the user when missing, sets its password (and `REQUIRE SSL` or not) and gives it the
 * rights of its role on `database`, as a user that may grant them (root). Idempotent.
 */
export async function provisionRoleUser(executor: Pick<Pool, 'query'>, database: string, { role, user, password, requireSsl }: RoleUser): Promise<void> {
  await executor.query(`CREATE USER IF NOT EXISTS '${checked(user)}'@'%' IDENTIFIED BY ?`, [password]);
  await executor.query(`ALTER USER '${checked(user)}'@'%' IDENTIFIED BY ? REQUIRE ${requireSsl ? 'SSL' : 'NONE'}`, [password]);
  for (const statement of roleGrantStatements(role, database, user)) await executor.query(statement);
}
