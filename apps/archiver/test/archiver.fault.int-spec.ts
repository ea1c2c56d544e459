import 'reflect-metadata';
import { LakeManifest, LakeReader } from '@cryptostream/lake';
import {
  AppProcess, createTestDatabase, createTestTopics, ensureKafka, freePort, produceMessages, randomName, readRecordedTrades, readTopic,
  spreadTrades, TEST_KAFKA_BROKERS, testKafka, waitFor,
} from '@cryptostream/testing';
import { withTimeout } from '@cryptostream/service-runtime';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archivedUpTo, expectedSymbolDays, filesOutsideManifest, lakeSymbolDays } from './support/archive-checks';

jest.setTimeout(240_000);

const PARTITIONS = 3;

/**
 * The archiver is SIGKILLed at each point of a file's way into the lake — a temporary file
 * written, files renamed but not committed, just after the commit — then runs to the end; the
 * lake must hold every trade of the topic exactly once: the same count, distinct offsets and
 * trade ids, and the exact Σ quantity and Σ price of every symbol-day.
 */
describe('archiver under SIGKILL', () => {
  it('leaves every trade in exactly one committed file after kills while writing, after the rename and after the commit', async () => {
    ensureKafka();
    const recorded = await readRecordedTrades();
    const messages = spreadTrades(recorded, { symbolsPerRecording: 1, repeats: 1, partitions: PARTITIONS });
    const topics = await createTestTopics(['prices', 'dlq', 'windows'], PARTITIONS);
    const db = await createTestDatabase();
    const lakeDir = mkdtempSync(join(tmpdir(), 'lake-fault-'));
    const logDir = mkdtempSync(join(tmpdir(), 'lake-fault-logs-'));
    const producer = testKafka().producer();
    await producer.connect();
    const env = {
      KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','),
      KAFKA_TOPIC: topics.topics['prices'],
      KAFKA_DLQ_TOPIC: topics.topics['dlq'],
      KAFKA_WINDOWS_TOPIC: topics.topics['windows'],
      KAFKA_GROUP_ID: randomName('archiver'),
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      MYSQL_URL: db.url,
      LAKE_DIR: lakeDir,
      // Small fetches and files: a few dozen commits, so that every kill comes mid-stream.
      KAFKA_FETCH_BYTES_PER_PARTITION: String(64 * 1024),
      LAKE_ROLL_ROWS: '1000',
      LAKE_ROLL_MS: '500',
      LOG_LEVEL: 'info',
    };
    try {
      await produceMessages(producer, topics.topics['prices'], messages);
      const stored = await readTopic(testKafka(), topics.topics['prices']);
      const removedAtStarts: number[] = [];
      for (const point of ['after-temporary-write', 'after-rename', 'after-commit']) {
        const archiver = AppProcess.start('archiver', await freePort(), { ...env, ARCHIVER_FAULT_POINT: point, ARCHIVER_FAULT_AFTER_COMMITS: '2' }, logDir);
        const exit = await withTimeout(archiver.exited, 120_000, () => {
          archiver.kill('SIGKILL');
          throw new Error(`the archiver did not reach ${point} within 120 s:\n${log(logDir)}`);
        });
        expect({ point, signal: exit.signal }).toEqual({ point, signal: 'SIGKILL' });
        removedAtStarts.push(removedAtStart(logDir));
      }
      const archiver = AppProcess.start('archiver', await freePort(), env, logDir);
      await archiver.waitReady(120_000);
      await waitFor('the condition', async () => (await archivedUpTo(db.pool, topics.topics['prices'])) === stored.length, { timeoutMs: 120_000, everyMs: 250 });
      const metrics = await (await fetch(`http://127.0.0.1:${archiver.port}/metrics`)).text();
      expect(await archiver.stop()).toBe(0);

      // A kill while writing left a temporary file, one after the rename renamed files the manifest does not list: the next start removed them.
      expect(removedAtStarts.slice(1)).toEqual([expect.any(Number), expect.any(Number)]);
      expect(Math.min(...removedAtStarts.slice(1))).toBeGreaterThan(0);
      expect(metrics).toMatch(/archiver_rows_committed_total\{dataset="trades"\} \d+/);
      expect(await filesOutsideManifest(lakeDir, db.pool)).toEqual([]);

      const reader = await LakeReader.open(lakeDir, new LakeManifest(db.pool));
      try {
        const [[count, offsets, ids]] = (await reader.query('SELECT count(*), count(DISTINCT (kafka_partition, kafka_offset)), count(DISTINCT (symbol, trade_id)) FROM trades')).rows;
        const distinctTrades = new Set(messages.map((m) => m.value)).size;
        expect({ count: Number(count), offsets: Number(offsets), ids: Number(ids) }).toEqual({ count: stored.length, offsets: stored.length, ids: distinctTrades });
        expect(Object.fromEntries(await lakeSymbolDays(reader))).toEqual(Object.fromEntries(expectedSymbolDays(stored)));
      } finally {
        reader.close();
      }
    } finally {
      await producer.disconnect();
      await topics.dispose();
      await db.drop();
      rmSync(lakeDir, { recursive: true, force: true });
    }
  });
});

/** How many uncommitted files the last start removed, from the archiver's log (0 when it logged none). */
function removedAtStart(logDir: string): number {
  const matches = [...log(logDir).matchAll(/removed (\d+) uncommitted/g)];
  return matches.length === 0 ? 0 : Number(matches[matches.length - 1][1]);
}

function log(logDir: string): string {
  try {
    return readFileSync(join(logDir, 'archiver.log'), 'utf8');
  } catch {
    return '';
  }
}
