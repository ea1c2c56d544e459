import type { KafkaConnection } from '@cryptostream/kafka-io';
import { createMysqlPool, parseMysqlUrl } from '@cryptostream/persistence';
import { AppProcess, freePort } from '@cryptostream/app-launcher';
import { mkdir } from 'node:fs/promises';
import { recreateDatabase, resetTopics } from './fresh-state';
import type { StoredWindow } from './kline-check';
import { PARTITIONS, sendClocks, waitForReplay, waitForWindows } from './run-demo';
import { readStoredWindows } from './stored-windows';

export interface LakeReplayOptions {
  readonly kafka: KafkaConnection;
  /** The lake to replay, and the MYSQL_URL of its manifest. */
  readonly lakeDir: string;
  readonly manifestUrl: string;
  readonly fromMs: number;
  readonly toMs: number;
  /** A fresh database and topics of the replay's own (emptied first). */
  readonly mysqlUrl: string;
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly windowsTopic: string;
  readonly groupId: string;
  readonly windowSizes: string;
  /** How many windows the replay must write (the original's count). */
  readonly expectedWindows: number;
  readonly logDir: string;
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
}

/**
 * Replays a range of the lake through the pipeline into a database of its own: an aggregator, and
 * an ingestor with `INGESTOR_SOURCE=lake`; once the replay has finished and the windows are in
 * MySQL (clock messages close them, as in the demo), returns them.
 */
export async function replayLake(options: LakeReplayOptions): Promise<StoredWindow[]> {
  await mkdir(options.logDir, { recursive: true });
  await resetTopics(options.kafka, [options.topic, options.deadLetterTopic, options.windowsTopic], PARTITIONS);
  const settings = parseMysqlUrl(options.mysqlUrl);
  await recreateDatabase(settings);
  const pool = createMysqlPool(settings, 2);
  const apps: AppProcess[] = [];
  try {
    const kafkaEnv = { KAFKA_BROKERS: options.kafka.brokers.join(','), KAFKA_TOPIC: options.topic, KAFKA_DLQ_TOPIC: options.deadLetterTopic, KAFKA_WINDOWS_TOPIC: options.windowsTopic };
    const aggregator = AppProcess.start('aggregator', await freePort(), { ...kafkaEnv, KAFKA_GROUP_ID: options.groupId, MYSQL_URL: options.mysqlUrl, WINDOW_SIZES: options.windowSizes }, options.logDir);
    apps.push(aggregator);
    await aggregator.waitReady();
    const ingestor = AppProcess.start('ingestor', await freePort(), {
      ...kafkaEnv, INGESTOR_SOURCE: 'lake', LAKE_DIR: options.lakeDir, MYSQL_URL: options.manifestUrl,
      LAKE_FROM: String(options.fromMs), LAKE_TO: String(options.toMs), REPLAY_SPEED: '0',
    }, options.logDir);
    apps.push(ingestor);
    await ingestor.waitReady();
    await waitForReplay(ingestor, options);
    options.log(`lake replay into ${settings.database} published`);
    await sendClocks(options, options.toMs + 2 * 86_400_000);
    await waitForWindows(pool, options.expectedWindows, options, apps);
    for (const app of apps.reverse()) await app.stop();
    return await readStoredWindows(pool);
  } catch (error) {
    await Promise.all(apps.map((app) => app.stop(5_000)));
    throw error;
  } finally {
    await pool.end();
  }
}
