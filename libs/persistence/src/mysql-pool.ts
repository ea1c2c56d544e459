import { createConnection, createPool, Pool } from 'mysql2/promise';
import { MysqlSettings } from './mysql-url';

/**
 * A pool whose sessions run in UTC, so DATETIME columns hold UTC wall times whatever the
 * server's zone, and DECIMAL columns come back as strings (never floats).
 */
export function createMysqlPool(settings: MysqlSettings, connectionLimit = 4): Pool {
  return createPool({
    ...settings,
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

/** Creates the database named in the settings when it does not exist yet. */
export async function ensureDatabase(settings: MysqlSettings): Promise<void> {
  const { database, ...server } = settings;
  const connection = await createConnection({ ...server, connectTimeout: 5_000 });
  try {
    await connection.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4`);
  } finally {
    await connection.end();
  }
}
