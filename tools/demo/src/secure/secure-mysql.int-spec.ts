import { mysqlSettings, SettingsReader } from '@cryptostream/config';
import { createMysqlPool, ensureDatabase, migrate, MysqlSettings, roleUser } from '@cryptostream/persistence';
import { AppProcess, createTestTopics, freePort, PrivateMariadb, randomName, TEST_KAFKA_BROKERS, testKafka, waitFor } from '@cryptostream/testing';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, RowDataPacket } from 'mysql2/promise';

jest.setTimeout(240_000);

const ROOT = join(__dirname, '../../../..');
const PORT = 13_400;
const DATABASE = 'cryptostream';

/** The error code a promise rejects with, or 'resolved'. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'resolved',
    (error: { code?: string; message?: string }) => error.code ?? error.message ?? String(error),
  );
}

/**
 * MySQL over TLS with least-privilege users, on a MariaDB of the test's own (never the shared
 * one): its certificate made by `scripts/mysql.sh certs`, its users by `scripts/mysql.sh users`
 * (each `REQUIRE SSL`), the schema migrated by the migrations user; then the aggregator and the
 * API run as their own users.
 */
describe('MySQL over TLS with a user per role', () => {
  let server: PrivateMariadb;
  let tls: string;
  let passwords: string;
  /** The settings of a role's user, read as an app reads them: MYSQL_URL, MYSQL_SSL_CA_FILE, MYSQL_PASSWORD_FILE. */
  const env = (role: 'migrations' | 'aggregator' | 'reader') => ({
    MYSQL_URL: `mysql://${roleUser(role)}@127.0.0.1:${PORT}/${DATABASE}`,
    MYSQL_SSL_CA_FILE: join(tls, 'ca.pem'),
    MYSQL_PASSWORD_FILE: join(passwords, `${roleUser(role)}.password`),
  });
  const settingsOf = (role: 'migrations' | 'aggregator' | 'reader'): MysqlSettings => mysqlSettings(new SettingsReader(env(role)));
  const users = () =>
    execFileSync('bash', [join(ROOT, 'scripts/mysql.sh'), 'users'], {
      env: { ...process.env, MYSQL_URL: `mysql://root@127.0.0.1:${PORT}/${DATABASE}`, MYSQL_USERS_REQUIRE_SSL: 'on', MYSQL_USERS_PASSWORD_DIR: passwords },
      encoding: 'utf8',
    });

  beforeAll(async () => {
    tls = execFileSync('bash', [join(ROOT, 'scripts/mysql.sh'), 'certs', join(ROOT, '.local/mysql/tls')], { encoding: 'utf8' }).trim();
    passwords = mkdtempSync(join(tmpdir(), 'cryptostream-mysql-users-'));
    server = await PrivateMariadb.create(PORT, { caFile: join(tls, 'ca.pem'), certFile: join(tls, 'server.pem'), keyFile: join(tls, 'server.key') });
    // Before the migrations the table grants cannot be made: the aggregator's is skipped, then made.
    expect(users()).toMatch(/cryptostream_aggregator \(aggregator\) skipped/);
    const migrations = settingsOf('migrations');
    await ensureDatabase(migrations);
    const pool = createMysqlPool(migrations, 1);
    await migrate(pool).finally(() => pool.end());
    expect(users()).not.toMatch(/skipped: .*moving_averages/);
  });

  afterAll(async () => {
    await server?.destroy();
  });

  it('refuses the users in plaintext and lets them in over TLS, the server verified against the CA', async () => {
    const reader = settingsOf('reader');
    const { ssl: _ssl, ...plaintext } = reader;
    expect(await refusal(createConnection({ ...plaintext, connectTimeout: 5_000 }))).toBe('ER_ACCESS_DENIED_ERROR');
    const connection = await createConnection({ ...reader, connectTimeout: 5_000 });
    const [[status]] = await connection.query<RowDataPacket[]>("SHOW SESSION STATUS LIKE 'Ssl_version'");
    await connection.end();
    expect(status['Value']).toMatch(/^TLSv1\.[23]$/);
    // A server whose certificate another CA signed is refused by the client.
    const otherCa = execFileSync('bash', [join(ROOT, 'scripts/mysql.sh'), 'certs', mkdtempSync(join(tmpdir(), 'cryptostream-other-ca-'))], { encoding: 'utf8' }).trim();
    const untrusted = { ...reader, ssl: { ca: readFileSync(join(otherCa, 'ca.pem'), 'utf8'), rejectUnauthorized: true as const } };
    const message = await createConnection({ ...untrusted, connectTimeout: 5_000 }).then(() => 'resolved', (error: Error) => error.message);
    expect(message).toMatch(/self[- ]signed|unable to verify/i);
  });

  it('the reader only reads, the aggregator only writes its tables, and both apps run as them', async () => {
    const reader = createMysqlPool(settingsOf('reader'), 1);
    const aggregator = createMysqlPool(settingsOf('aggregator'), 1);
    const topics = await createTestTopics(['prices', 'dlq', 'windows'], 1);
    const logDir = join(ROOT, '.local/e2e', randomName('secure_mysql'));
    mkdirSync(logDir, { recursive: true });
    const apps: AppProcess[] = [];
    try {
      expect(await refusal(reader.query('SELECT COUNT(*) FROM moving_averages'))).toBe('resolved');
      expect(await refusal(reader.query("DELETE FROM moving_averages WHERE symbol = 'X'"))).toBe('ER_TABLEACCESS_DENIED_ERROR');
      expect(await refusal(reader.query('CREATE TABLE intruder (id INT)'))).toBe('ER_TABLEACCESS_DENIED_ERROR');
      expect(await refusal(aggregator.query("DELETE FROM moving_averages WHERE symbol = 'X'"))).toBe('resolved');
      expect(await refusal(aggregator.query('CREATE TABLE intruder (id INT)'))).toBe('ER_TABLEACCESS_DENIED_ERROR');
      expect(await refusal(aggregator.query('ALTER TABLE moving_averages ADD COLUMN intruder INT'))).toBe('ER_TABLEACCESS_DENIED_ERROR');

      const kafka = { KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_TOPIC: topics.topics['prices'], KAFKA_DLQ_TOPIC: topics.topics['dlq'], KAFKA_WINDOWS_TOPIC: topics.topics['windows'] };
      // The schema is migrated: the aggregator starts without any right to change it.
      apps.push(AppProcess.start('aggregator', await freePort(), { ...kafka, ...env('aggregator'), KAFKA_GROUP_ID: randomName('secure_mysql'), WINDOW_GRACE_MS: '0' }, logDir));
      apps.push(AppProcess.start('api', await freePort(), { ...kafka, ...env('reader') }, logDir));
      const [aggregatorApp, api] = apps;
      await Promise.all([aggregatorApp.waitReady(120_000), api.waitReady(120_000)]);

      const producer = testKafka().producer();
      await producer.connect();
      const t0 = Date.UTC(2025, 2, 4);
      const trade = (ms: number, price: string) => ({ key: 'BTCUSDT', value: JSON.stringify({ symbol: 'BTCUSDT', price, quantity: '2', timestamp: (t0 + ms) / 1000, eventTimeMs: t0 + ms }) });
      await producer.send({ topic: topics.topics['prices'], acks: -1, messages: [trade(1_000, '10.5'), trade(30_000, '11.25'), trade(61_000, '12'), trade(125_000, '13')] });
      await producer.disconnect();
      const rows = async () => Number((await reader.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM moving_averages'))[0][0]['n']);
      await waitFor('the closed minutes in MySQL', async () => (await rows()) >= 2, { timeoutMs: 90_000 });

      const response = await fetch(`http://127.0.0.1:${api.port}/api/candles?symbol=BTCUSDT&interval=1m`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as { candles: { startMs: number; open: string; close: string; volume: string }[] };
      expect(page.candles.slice(0, 2).map(({ startMs, open, close, volume }) => ({ startMs, open, close, volume }))).toEqual(
        expect.arrayContaining([
          { startMs: t0, open: '10.5', close: '11.25', volume: '4' },
          { startMs: t0 + 60_000, open: '12', close: '12', volume: '2' },
        ]),
      );
    } finally {
      await Promise.all(apps.map((app) => app.stop()));
      await topics.dispose();
      await reader.end();
      await aggregator.end();
    }
  });
});
