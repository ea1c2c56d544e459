import { ensureTopics, plaintextConnection } from '@cryptostream/kafka-io';
import { createMysqlPool, ensureDatabase, parseMysqlUrl } from '@cryptostream/persistence';
import { AppProcess, freePort, randomName, readTopic, RECORDINGS_DIR, sleep, testKafka } from '@cryptostream/testing';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { CONTRACT_SIZES, expectedWindows } from './expected-windows';
import { compareWindows } from './kline-check';
import { countStoredWindows, readStoredWindows } from './stored-windows';

/**
 * The pipeline on a replicated Kafka cluster (three KRaft brokers on loopback, topics with three
 * replicas and min.insync.replicas 2): the ingestor replays the recordings into it while two
 * aggregators consume; mid-stream the leader of a partition and one aggregator are SIGKILLed.
 * MySQL must equal the offline `aggregate` of the recordings, and the topic must hold every
 * recorded trade exactly once. `npm run test:cluster` (CLUSTER_TESTS=1); skipped otherwise.
 */
const RUN = process.env['CLUSTER_TESTS'] === '1';
const ROOT = join(__dirname, '../../..');
const KAFKA_SH = join(ROOT, 'scripts/kafka.sh');
const DATA = RECORDINGS_DIR;
const FILES = [
  join(DATA, 'test_positive_binance_trade_stream_usd_m_futures_trxusdt_04-03-2025.csv'),
  join(DATA, 'test_positive_binance_trade_stream_coin_m_futures_trxusd_perp_04-03-2025.csv'),
];
const SERVER_URL = process.env['TEST_MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/test';
const WINDOW_SIZES = '1m';
/** About 3 hours of recorded trades at 300× real time: a 40 s stream to kill things in. */
const REPLAY_SPEED = '300';

const kafkaSh = (command: string, env: Record<string, string> = {}): string =>
  execFileSync('bash', [KAFKA_SH, command], { env: { ...process.env, ...env }, encoding: 'utf8' }).trim();

jest.setTimeout(600_000);

(RUN ? describe : describe.skip)('the pipeline on a 3-broker Kafka cluster', () => {
  let brokers: string;

  beforeAll(() => {
    kafkaSh('cluster-start');
    brokers = kafkaSh('cluster-brokers');
  });

  afterAll(() => {
    if (process.env['KEEP_CLUSTER'] !== '1') kafkaSh('cluster-stop');
  });

  it('loses and duplicates nothing when a partition leader and an aggregator are SIGKILLed mid-stream', async () => {
    const kafka = testKafka('cluster-fault', plaintextConnection(brokers.split(',')));
    const admin = kafka.admin();
    await admin.connect();
    const topic = randomName('cluster_prices');
    const dlq = `${topic}.dlq`;
    // Created as the apps would on this cluster: the defaults give 3 replicas, min.insync 2.
    await ensureTopics(admin, [{ topic, numPartitions: 3 }, { topic: dlq, numPartitions: 3 }]);
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    expect(metadata.partitions.map((partition) => partition.replicas.length)).toEqual([3, 3, 3]);

    const url = new URL(SERVER_URL);
    url.pathname = `/${randomName('cryptostream_deploy_cluster')}`;
    const settings = parseMysqlUrl(url.toString());
    await ensureDatabase(settings);
    const pool = createMysqlPool(settings, 2);
    const logDir = join(ROOT, '.local/cluster-fault', settings.database);
    const apps: AppProcess[] = [];
    try {
      const expected = await expectedWindows(FILES, WINDOW_SIZES);
      const aggregatorEnv = {
        KAFKA_BROKERS: brokers, KAFKA_TOPIC: topic, KAFKA_DLQ_TOPIC: dlq, KAFKA_GROUP_ID: randomName('cluster_group'),
        KAFKA_SESSION_TIMEOUT_MS: '6000', MYSQL_URL: url.toString(), WINDOW_SIZES,
        KAFKA_REPLICATION_FACTOR: '3', KAFKA_MIN_INSYNC_REPLICAS: '2',
      };
      const survivor = AppProcess.start('aggregator', await freePort(), aggregatorEnv, join(logDir, 'survivor'));
      const victim = AppProcess.start('aggregator', await freePort(), aggregatorEnv, join(logDir, 'victim'));
      apps.push(survivor, victim);
      await Promise.all([survivor.waitReady(), victim.waitReady()]);
      const ingestor = AppProcess.start('ingestor', await freePort(), {
        KAFKA_BROKERS: brokers, KAFKA_TOPIC: topic, KAFKA_DLQ_TOPIC: dlq, KAFKA_REPLICATION_FACTOR: '3', KAFKA_MIN_INSYNC_REPLICAS: '2',
        INGESTOR_SOURCE: 'replay', REPLAY_FILES: FILES.join(','), REPLAY_SPEED, CONTRACT_SIZES,
      }, logDir);
      apps.push(ingestor);
      await ingestor.waitReady();

      await sleep(8_000 + Math.random() * 4_000);
      const leader = await partitionLeader(admin, topic, 0);
      const rowsAtBrokerKill = await countStoredWindows(pool);
      kafkaSh('kill', { KAFKA_PORT: String(leader.port) });
      await sleep(3_000 + Math.random() * 3_000);
      victim.kill('SIGKILL');
      expect((await victim.exited).signal).toBe('SIGKILL');
      const rowsAtAggregatorKill = await countStoredWindows(pool);
      const newLeader = await partitionLeader(admin, topic, 0);

      const stored = await waitForRows(pool, expected.length, 240_000, apps);
      const differences = compareWindows(stored, expected);
      const missing = differences.filter((line) => line.endsWith(': missing')).length;
      const unexpected = differences.filter((line) => line.endsWith(': not expected')).length;
      const records = await readTopic(kafka, topic);
      const ids = new Set(records.map((record) => { const m = JSON.parse(record.value); return `${m.symbol} ${m.tradeId}`; }));
      process.stdout.write(
        `[cluster] brokers=3 replicas=3 min_insync=2 trades_in_topic=${records.length} distinct_trades=${ids.size} ` +
        `killed_broker=${leader.nodeId} (leader of partition 0; new leader ${newLeader.nodeId}) rows_at_broker_kill=${rowsAtBrokerKill} ` +
        `rows_at_aggregator_kill=${rowsAtAggregatorKill} rows_expected=${expected.length} rows_actual=${stored.length} ` +
        `missing=${missing} unexpected=${unexpected} differing_fields=${differences.length - missing - unexpected}\n`,
      );
      expect(newLeader.nodeId).not.toBe(leader.nodeId);
      expect(records.length).toBe(ids.size);
      expect(differences).toEqual([]);
      expect(stored).toHaveLength(expected.length);
      expect(await survivor.stop()).toBe(0);
      expect(await ingestor.stop()).toBe(0);
    } finally {
      await Promise.all(apps.map((app) => app.stop(5_000)));
      kafkaSh('cluster-start');
      await admin.deleteTopics({ topics: [topic, dlq] }).catch(() => undefined);
      await admin.disconnect();
      await pool.query(`DROP DATABASE IF EXISTS \`${settings.database}\``);
      await pool.end();
    }
  });
});

async function partitionLeader(admin: ReturnType<Kafka['admin']>, topic: string, partition: number): Promise<{ nodeId: number; port: number }> {
  const cluster = await admin.describeCluster();
  const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
  const nodeId = metadata.partitions.find((p) => p.partitionId === partition)!.leader;
  const broker = cluster.brokers.find((b) => b.nodeId === nodeId);
  return { nodeId, port: broker?.port ?? -1 };
}

/** Waits until MySQL holds `count` windows (or time runs out), then reads them back. */
async function waitForRows(pool: ReturnType<typeof createMysqlPool>, count: number, timeoutMs: number, apps: AppProcess[]) {
  const deadline = Date.now() + timeoutMs;
  while ((await countStoredWindows(pool)) < count) {
    if (Date.now() > deadline) {
      const tails = await Promise.all(apps.map(async (app) => `--- ${app.name} (${app.logFile}) ---\n${await app.logTail()}`));
      throw new Error(`fewer than ${count} windows in MySQL after ${timeoutMs} ms\n${tails.join('\n')}`);
    }
    await sleep(1_000);
  }
  // A moment more, so that a window written twice or late would show.
  await sleep(3_000);
  return readStoredWindows(pool);
}
