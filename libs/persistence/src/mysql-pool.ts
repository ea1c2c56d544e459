import { createConnection, createPool, Pool, RowDataPacket } from 'mysql2/promise';
import { MysqlSettings } from './mysql-url';

/**
 * A pool whose sessions run in UTC, so DATETIME columns hold UTC wall times whatever the
 * server's zone, and DECIMAL columns come back as strings (never floats).
 */
export function createMysqlPool(settings: MysqlSettings, connectionLimit = 4): Pool {
  return createPool({
    ...connectionOptions(settings),
    connectionLimit,
    timezone: 'Z',
    dateStrings: true,
    decimalNumbers: false,
    supportBigNumbers: true,
    bigNumberStrings: true,
    connectTimeout: 5_000,
    enableKeepAlive: true,
  });
}

/** What mysql2 takes of the settings: the server, the user and TLS (the server's certificate verified). */
function connectionOptions({ host, port, user, password, database, ssl }: MysqlSettings) {
  return { host, port, user, password, database, ...(ssl ? { ssl: { ...ssl } } : {}) };
}

/**
 * Creates the database named in the settings when it does not exist yet. A database that exists
 * is left alone without a statement that needs the right to create one, so that a user with
 * rights on its tables only (the aggregator's) passes.
 */
export async function ensureDatabase(settings: MysqlSettings): Promise<void> {
  const { database, ...server } = connectionOptions(settings);
  const connection = await createConnection({ ...server, connectTimeout: 5_000 });
  try {
    const [rows] = await connection.query<RowDataPacket[]>('SELECT 1 FROM information_schema.schemata WHERE schema_name = ?', [database]);
    if (rows.length === 0) await connection.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4`);
  } finally {
    await connection.end();
  }
}
