import { createKafka, ensureTopics, grantPipelineAcls, KafkaSecurityError, PipelineNames, plaintextConnection } from '@cryptostream/kafka-io';
import { createMysqlPool, ensureDatabase, parseMysqlUrl } from '@cryptostream/persistence';
import { canonicalDecimal } from '@cryptostream/schema';
import { AppProcess, createTestDatabase, freePort, randomName, readTopic, RECORDINGS_DIR, SecureKafka, testKafka, waitFor } from '@cryptostream/testing';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Admin, ResourcePatternTypes } from 'kafkajs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO_WINDOW_SIZES, runDemo } from '../run-demo';
import { openCandleStream } from './sse-client';

jest.setTimeout(240_000);

const ROOT = join(__dirname, '../../../..');
const DATA = RECORDINGS_DIR;
const SERVER_URL = process.env['TEST_MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/test';
const databaseUrl = (name: string) => SERVER_URL.replace(/\/[^/]*$/, `/${name}`);

/** The messages of an app's JSON log lines (an error's own message too). */
async function logMessages(file: string): Promise<string[]> {
  const lines = (await readFile(file, 'utf8').catch(() => '')).split('\n').filter((line) => line.startsWith('{'));
  return lines.flatMap((line) => {
    const entry = JSON.parse(line) as { msg?: string; err?: { message?: string } };
    return [entry.msg ?? '', entry.err?.message ?? ''].filter(Boolean);
  });
}

/**
 * The pipeline against the project's secured broker (scripts/kafka.sh secure-start: SASL_SSL,
 * SCRAM-SHA-512, ACLs), each app as its own user with only its own rights, on topics of the
 * test's own (the ACLs of libs/kafka-io pipeline-acls, granted for their random names).
 */
describe('the pipeline on a secured broker (SASL_SSL, SCRAM-SHA-512, ACLs per app)', () => {
  let secure: SecureKafka;
  let admin: Admin;
  const group = randomName('secure_group');
  const names: PipelineNames = {
    pricesTopic: randomName('secure_prices'),
    deadLetterTopic: randomName('secure_dlq'),
    windowsTopic: randomName('secure_windows'),
    aggregatorGroup: group,
    // The demo names the archiver's group after the aggregator's.
    archiverGroup: `${group}-archiver`,
  };
  const databases: string[] = [];

  beforeAll(async () => {
    secure = SecureKafka.ensure();
    admin = testKafka('secure-test', secure.connection('admin')).admin();
    await admin.connect();
    await grantPipelineAcls(admin, names);
    // The admin creates topics; the apps may not (the aggregator would create the update topic).
    await ensureTopics(admin, [{ topic: names.windowsTopic, numPartitions: 3 }]);
  });

  afterAll(async () => {
    await admin?.deleteTopics({ topics: [names.pricesTopic, names.deadLetterTopic, names.windowsTopic] }).catch(() => undefined);
    await admin?.disconnect();
    const pool = createMysqlPool(parseMysqlUrl(SERVER_URL), 1);
    for (const database of databases) await pool.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await pool.end();
  });

  it('replays trades through ingestor, aggregator, MySQL and the API stream, each as its own user, rows equal to the offline aggregate', async () => {
    const database = randomName('cryptostream_secure');
    databases.push(database);
    const mysqlUrl = databaseUrl(database);
    const logDir = join(ROOT, '.local/e2e', database);
    mkdirSync(logDir, { recursive: true });
    let api: AppProcess | undefined;
    let stream: ReturnType<typeof openCandleStream> | undefined;
    try {
      // The API reads the update topic from its end: it is up before the aggregator publishes.
      const startApi = async () => {
        api = AppProcess.start('api', await freePort(), { ...secure.env('api'), KAFKA_WINDOWS_TOPIC: names.windowsTopic, MYSQL_URL: mysqlUrl, WINDOW_SIZES: DEMO_WINDOW_SIZES }, logDir);
        await api.waitReady(120_000);
        stream = openCandleStream(api.port, '/api/candles/stream?symbol=TRXUSDT&interval=1m');
      };
      const result = await runDemo({
        files: [
          join(DATA, 'test_positive_binance_trade_stream_usd_m_futures_trxusdt_04-03-2025.csv'),
          join(DATA, 'test_positive_binance_trade_stream_coin_m_futures_trxusd_perp_04-03-2025.csv'),
        ],
        klines: { file: join(DATA, 'TRXUSDT-1m-2025-03__excerpt_2025-03-04T0000-0016.csv'), symbol: 'TRXUSDT', completeMinutes: 16 },
        kafka: secure.connection('admin'),
        mysqlUrl,
        topic: names.pricesTopic,
        deadLetterTopic: names.deadLetterTopic,
        windowsTopic: names.windowsTopic,
        lakeDir: join(logDir, 'lake'),
        groupId: names.aggregatorGroup,
        windowSizes: DEMO_WINDOW_SIZES,
        logDir,
        timeoutMs: 180_000,
        log: () => undefined,
        appEnv: { ingestor: secure.env('ingestor'), aggregator: secure.env('aggregator'), archiver: secure.env('archiver') },
        beforeApps: startApi,
      });
      expect(result.differences).toEqual([]);
      expect(result.stored.length).toBe(result.expected.length);
      expect(result.klineCheck.differences).toEqual([]);

      // Every closed TRXUSDT minute reached the API's stream through crypto_windows, equal to its row.
      const minutes = result.stored.filter((row) => row.symbol === 'TRXUSDT' && row.windowSize === '1m');
      expect(minutes.length).toBeGreaterThanOrEqual(16);
      const closedStreamed = () => new Map((stream?.candles ?? []).filter((c) => c.closed).map((c) => [c.startMs, c]));
      await waitFor(`${minutes.length} closed TRXUSDT minutes on the stream`, () => closedStreamed().size >= minutes.length, { timeoutMs: 60_000, explain: () => `got ${closedStreamed().size}` });
      stream?.stop();
      expect(stream?.status()).toBe(200);
      const streamed = closedStreamed();
      // MySQL's DECIMAL columns carry trailing zeros; the stream sends the canonical digits.
      const digits = (value: string | null | undefined) => (value == null ? value : canonicalDecimal(value));
      expect(minutes.map((row) => ({ startMs: row.startMs, close: digits(row.close), volume: digits(row.volume), tradeCount: row.tradeCount }))).toEqual(
        minutes.map((row) => {
          const candle = streamed.get(row.startMs);
          return { startMs: candle?.startMs, close: digits(candle?.close), volume: digits(candle?.volume), tradeCount: candle?.tradeCount };
        }),
      );
    } finally {
      stream?.stop();
      await api?.stop();
    }
  });

  it('refuses a plaintext client and a client that does not trust the broker certificate', async () => {
    const plain = createKafka({ clientId: 'plaintext', connection: plaintextConnection(secure.brokers), retry: { retries: 0 }, connectionTimeout: 3_000 }).admin();
    await expect(plain.connect()).rejects.toThrow();
    await plain.disconnect();
    const untrusted = secure.connection('admin');
    const systemCas = createKafka({ clientId: 'untrusted', connection: { ...untrusted, security: { ...untrusted.security, tls: {} } }, retry: { retries: 0 } }).admin();
    const refusal = await systemCas.connect().then(() => undefined, (error: unknown) => error);
    await systemCas.disconnect();
    expect(refusal).toBeInstanceOf(KafkaSecurityError);
    expect((refusal as Error).message).toMatch(/^KAFKA_SSL_CA_FILE: the certificate of 127\.0\.0\.1:\d+ is not trusted/);
  });

  it('an app given a wrong password says KAFKA_SASL_PASSWORD_FILE: authentication failed for its user, once: the aggregator exits 1, the ingestor and the API stay up, not ready', async () => {
    const database = randomName('cryptostream_secure');
    databases.push(database);
    const mysqlUrl = databaseUrl(database);
    await ensureDatabase(parseMysqlUrl(mysqlUrl));
    const logDir = join(ROOT, '.local/e2e', database);
    mkdirSync(logDir, { recursive: true });
    const wrongFile = join(logDir, 'wrong.password');
    writeFileSync(wrongFile, 'Not-The-Password-42\n');
    const wrong = (user: 'ingestor' | 'aggregator' | 'api') => ({ ...secure.env(user), KAFKA_SASL_PASSWORD_FILE: wrongFile });
    const topics = { KAFKA_TOPIC: names.pricesTopic, KAFKA_DLQ_TOPIC: names.deadLetterTopic, KAFKA_WINDOWS_TOPIC: names.windowsTopic };
    const apps = {
      aggregator: AppProcess.start('aggregator', await freePort(), { ...wrong('aggregator'), ...topics, KAFKA_GROUP_ID: names.aggregatorGroup, MYSQL_URL: mysqlUrl }, logDir),
      ingestor: AppProcess.start('ingestor', await freePort(), {
        ...wrong('ingestor'), ...topics, INGESTOR_SOURCE: 'replay', REPLAY_SPEED: '0',
        REPLAY_FILES: join(DATA, 'test_positive_binance_trade_stream_usd_m_futures_trxusdt_04-03-2025.csv'),
      }, logDir),
      api: AppProcess.start('api', await freePort(), { ...wrong('api'), ...topics, MYSQL_URL: mysqlUrl }, logDir),
    };
    try {
      const refusal = (user: string) => `KAFKA_SASL_PASSWORD_FILE: authentication failed for user "${user}" (SCRAM-SHA-512) at ${secure.brokers.join(',')}`;
      const exited = await Promise.race([apps.aggregator.exited, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 120_000))]);
      expect(exited?.code).toBe(1);
      expect(await logMessages(apps.aggregator.logFile)).toContainEqual(expect.stringContaining(`configuration error: ${refusal('aggregator')}`));
      for (const name of ['ingestor', 'api'] as const) {
        const app = apps[name];
        let body = '';
        await waitFor(`${name} not ready for its refused password`, async () => {
          const response = await fetch(`http://127.0.0.1:${app.port}/health/ready`).catch(() => undefined);
          body = response ? `${response.status} ${await response.text()}` : '';
          // The body is JSON: its quotes are escaped.
          return body.startsWith('503') && body.includes(JSON.stringify(refusal(name)).slice(1, -1));
        }, { timeoutMs: 120_000, explain: () => `last: ${body}` });
      }
      // Still up a while later, still not ready, and it did not connect again: a setting, not an
      // outage (the ingestor's sends still fail, and say why).
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      for (const name of ['ingestor', 'api'] as const) {
        expect(apps[name].running).toBe(true);
        expect((await fetch(`http://127.0.0.1:${apps[name].port}/health/ready`)).status).toBe(503);
        const attempts = (await logMessages(apps[name].logFile)).filter((message) => message.includes(refusal(name)) && !message.startsWith('Kafka send failing'));
        expect(attempts.length).toBe(1);
      }
      for (const app of Object.values(apps)) expect(await readFile(app.logFile, 'utf8')).not.toContain('Not-The-Password-42');
    } finally {
      await Promise.all(Object.values(apps).map((app) => app.stop()));
    }
  });

  it('an aggregator whose ACLs forbid writing its dead-letter topic says so, and loses nothing: the offsets wait until the letter is written', async () => {
    const own: PipelineNames = { ...names, pricesTopic: randomName('secure_prices'), deadLetterTopic: randomName('secure_dlq'), aggregatorGroup: randomName('secure_group') };
    const forbidden = randomName('secure_forbidden_dlq');
    await grantPipelineAcls(admin, own);
    await ensureTopics(admin, [own.pricesTopic, forbidden].map((topic) => ({ topic, numPartitions: 1 })));
    // It may see the topic (a read-only grant, say), not write it.
    const describeOnly = { resourceType: AclResourceTypes.TOPIC, resourceName: forbidden, resourcePatternType: ResourcePatternTypes.LITERAL, principal: 'User:aggregator', host: '*', permissionType: AclPermissionTypes.ALLOW };
    await admin.createAcls({ acl: [{ ...describeOnly, operation: AclOperationTypes.DESCRIBE }] });
    const producer = testKafka('secure-test', secure.connection('admin')).producer();
    await producer.connect();
    const t0 = Date.UTC(2025, 2, 4);
    const trade = (i: number) => ({ key: 'BTCUSDT', value: JSON.stringify({ symbol: 'BTCUSDT', price: `1.${i}`, quantity: '2', timestamp: (t0 + i * 1000) / 1000, eventTimeMs: t0 + i * 1000 }) });
    const invalidPayload = JSON.stringify({ symbol: 'BTCUSDT', price: 'not-a-price', quantity: '1', timestamp: t0 / 1000 });
    await producer.send({ topic: own.pricesTopic, acks: -1, messages: [trade(1), trade(2)] });
    const [{ baseOffset }] = await producer.send({ topic: own.pricesTopic, acks: -1, messages: [{ key: 'BTCUSDT', value: invalidPayload }] });
    const invalidOffset = Number(baseOffset);
    // A trade two days on closes the first minute and ends its lateness: then the group's offset may pass the letter.
    await producer.send({ topic: own.pricesTopic, acks: -1, messages: [trade(3), trade(4), trade(2 * 86_400)] });
    await producer.disconnect();

    const db = await createTestDatabase();
    const logDir = join(ROOT, '.local/e2e', randomName('secure_acl'));
    mkdirSync(logDir, { recursive: true });
    const aggregator = AppProcess.start('aggregator', await freePort(), {
      ...secure.env('aggregator'), KAFKA_TOPIC: own.pricesTopic, KAFKA_DLQ_TOPIC: forbidden, KAFKA_WINDOWS_TOPIC: own.windowsTopic,
      KAFKA_GROUP_ID: own.aggregatorGroup, MYSQL_URL: db.url, WINDOW_GRACE_MS: '0',
    }, logDir);
    const committed = async () => {
      const [{ partitions }] = await admin.fetchOffsets({ groupId: own.aggregatorGroup, topics: [own.pricesTopic] });
      return Number(partitions[0].offset);
    };
    const letters = async () => Number((await admin.fetchTopicOffsets(forbidden))[0].high);
    try {
      const refusal = `KAFKA_SASL_USERNAME: user "aggregator" is not authorized at ${secure.brokers.join(',')}: TOPIC_AUTHORIZATION_FAILED`;
      await waitFor('the aggregator\'s refusal in its log', async () => (await logMessages(aggregator.logFile)).some((message) => message.includes(refusal)), { timeoutMs: 120_000 });
      // A few failed rounds later: nothing written, and the group's offset has not passed the letter.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(await letters()).toBe(0);
      expect(await committed()).toBeLessThanOrEqual(invalidOffset);
      expect(aggregator.running).toBe(true);

      await admin.createAcls({ acl: [{ ...describeOnly, operation: AclOperationTypes.WRITE }] });
      let seen = { letters: 0, committed: -1 };
      await waitFor(`the dead letter written and the offset past ${invalidOffset}`, async () => {
        seen = { letters: await letters(), committed: await committed() };
        return seen.letters >= 1 && seen.committed > invalidOffset;
      }, { timeoutMs: 120_000, explain: () => `last seen: ${JSON.stringify(seen)}` });
      const stored = await readTopic(testKafka('secure-test', secure.connection('admin')), forbidden, 30_000);
      expect(stored.map((record) => JSON.parse(record.value))).toEqual([
        expect.objectContaining({ payload: invalidPayload, rejectedBy: 'aggregator', origin: { topic: own.pricesTopic, partition: 0, offset: String(invalidOffset) } }),
      ]);
    } finally {
      await aggregator.stop();
      await admin.deleteTopics({ topics: [own.pricesTopic, forbidden] }).catch(() => undefined);
      await db.drop();
    }
  });
});
