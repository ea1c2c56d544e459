import { ConfigError } from '@cryptostream/schema';

/** Where every app and tool finds MySQL unless `MYSQL_URL` says otherwise (written once, here). */
export const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306/cryptostream';

/** Connection settings parsed from a `mysql://user:password@host:port/database` URL. */
export interface MysqlSettings {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

/** Parses `MYSQL_URL`; throws a ConfigError that names the setting and what is wrong. */
export function parseMysqlUrl(url: string, setting = 'MYSQL_URL'): MysqlSettings {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The value is not repeated: it may hold a password.
    throw new ConfigError(setting, `must be a URL like ${DEFAULT_MYSQL_URL}`);
  }
  if (parsed.protocol !== 'mysql:') throw new ConfigError(setting, `must start with mysql://, got ${parsed.protocol}//`);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]{1,64}$/.test(database)) {
    throw new ConfigError(setting, 'must name a database of letters, digits and _ after the host, like /cryptostream');
  }
  return Object.freeze({
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username || 'root'),
    password: decodeURIComponent(parsed.password),
    database,
  });
}
