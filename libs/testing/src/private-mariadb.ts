import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';

/** The server's certificate and key, and the CA that signed them (PEM files; scripts/mysql.sh certs). */
export interface PrivateMariadbTls {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/**
 * A MariaDB server of the test's own (own port, own datadir) that a test can stop and start
 * to simulate an outage without disturbing the shared server.
 */
export class PrivateMariadb {
  readonly #dir = mkdtempSync(join(tmpdir(), 'cryptostream-mariadb-'));
  #server: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    readonly tls?: PrivateMariadbTls,
  ) {
    execFileSync('mariadb-install-db', [
      '--no-defaults', `--user=${userInfo().username}`, `--datadir=${this.#dir}/data`,
      '--auth-root-authentication-method=normal', '--skip-test-db',
    ], { stdio: 'ignore' });
  }

  /** Creates the datadir and starts the server on `port`, with TLS when `tls` names its certificate. */
  static async create(port: number, tls?: PrivateMariadbTls): Promise<PrivateMariadb> {
    const server = new PrivateMariadb(port, tls);
    await server.start();
    return server;
  }

  /** A MYSQL_URL for `database` on this server. */
  url(database: string): string {
    return `mysql://root@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    this.#server = spawn('mariadbd', [
      '--no-defaults', `--user=${userInfo().username}`, `--datadir=${this.#dir}/data`, `--port=${this.port}`,
      '--bind-address=127.0.0.1', `--socket=${this.#dir}/mariadb.sock`, '--skip-log-bin', '--innodb-buffer-pool-size=64M',
      ...(this.tls ? [`--ssl-ca=${this.tls.caFile}`, `--ssl-cert=${this.tls.certFile}`, `--ssl-key=${this.tls.keyFile}`] : []),
    ], { stdio: 'ignore' });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const connection = await createConnection({ host: '127.0.0.1', port: this.port, user: 'root', connectTimeout: 1_000 }).catch(() => undefined);
      if (connection) {
        await connection.end();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`private MariaDB did not answer on port ${this.port} within 30 s`);
  }

  /** Stops the server (SIGTERM, a clean shutdown) and waits for it to exit. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server || server.exitCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
