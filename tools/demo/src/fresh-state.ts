import { createKafka, ensureTopics, KafkaConnection } from '@cryptostream/kafka-io';
import { createMysqlPool, ensureDatabase, MysqlSettings } from '@cryptostream/persistence';
import { sleep } from '@cryptostream/service-runtime';

/** Empties a database of the demo's own: drop, then create (the aggregator migrates it at start-up). */
export async function recreateDatabase(settings: MysqlSettings): Promise<void> {
  await ensureDatabase(settings);
  const pool = createMysqlPool(settings, 1);
  try {
    await pool.query(`DROP DATABASE \`${settings.database}\``);
  } finally {
    await pool.end();
  }
  await ensureDatabase(settings);
}

/** Deletes and re-creates topics of the demo's own so that a run starts from an empty log. */
export async function resetTopics(connection: KafkaConnection, topics: readonly string[], partitions = 3): Promise<void> {
  const kafka = createKafka({ clientId: 'cryptostream-demo', connection });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = (await admin.listTopics()).filter((topic) => topics.includes(topic));
    if (existing.length > 0) await admin.deleteTopics({ topics: existing, timeout: 10_000 });
    for (let attempt = 0; ; attempt += 1) {
      try {
        await ensureTopics(admin, topics.map((topic) => ({ topic, numPartitions: partitions })));
        return;
      } catch (error) {
        // A just-deleted topic can still be "marked for deletion" for a moment.
        if (attempt >= 40) throw error;
        await sleep(250);
      }
    }
  } finally {
    await admin.disconnect();
  }
}
