import type { Pool, PoolConnection } from 'mysql2/promise';

/** The subset of mysql2 that the repositories need: a pool or one connection inside a transaction. */
export type SqlExecutor = Pick<Pool | PoolConnection, 'query'>;

/** A pool that can also lend one connection for a transaction. */
export type SqlPool = SqlExecutor & Pick<Pool, 'getConnection'>;
