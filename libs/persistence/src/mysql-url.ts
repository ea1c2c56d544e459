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
  /** TLS, the server's certificate always verified (against `ca`, else the system's CAs); unset: plaintext. */
  readonly ssl?: MysqlTls;
}

export interface MysqlTls {
  /** PEM of the CA that signed the server's certificate. */
  readonly ca?: string;
  readonly rejectUnauthorized: true;
}

/** What MYSQL_URL's query asks of TLS: `?ssl=true` (system CAs) or `?ssl-ca=/path/ca.pem`. */
export interface MysqlUrlTls {
  readonly required: boolean;
  readonly caFile?: string;
}

const URL_OPTIONS = ['ssl', 'ssl-ca'];

/** The TLS options of a MYSQL_URL (see {@link MysqlUrlTls}); the URL is checked by {@link parseMysqlUrl}. */
export function parseMysqlUrlTls(url: string, setting = 'MYSQL_URL'): MysqlUrlTls {
  const query = URL.canParse(url) ? new URL(url).searchParams : new URLSearchParams();
  const ssl = query.get('ssl');
  if (ssl !== null && !['true', 'false'].includes(ssl)) throw new ConfigError(setting, `?ssl= must be true or false, got ${JSON.stringify(ssl)}`);
  const caFile = query.get('ssl-ca') ?? undefined;
  return { required: ssl === 'true' || caFile !== undefined, ...(caFile ? { caFile } : {}) };
}

/** Parses `MYSQL_URL` (TLS options apart: {@link parseMysqlUrlTls}); throws a ConfigError that names the setting and what is wrong. */
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
  const unknown = [...parsed.searchParams.keys()].find((key) => !URL_OPTIONS.includes(key));
  if (unknown !== undefined) throw new ConfigError(setting, `does not take ?${unknown}= (only ${URL_OPTIONS.map((o) => `?${o}=`).join(', ')})`);
  return Object.freeze({
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username || 'root'),
    password: decodeURIComponent(parsed.password),
    database,
  });
}
