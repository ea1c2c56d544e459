import 'reflect-metadata';
import { LakeManifest, LakeReader } from '@cryptostream/lake';
import { encodeSchemaId, encodeWindowUpdate, SCHEMA_ID_HEADER, WindowUpdate } from '@cryptostream/schema';
import { ApicurioClient, registerSchemas } from '@cryptostream/schema-registry';
import {
  AppProcess, createTestDatabase, createTestTopics, ensureKafka, freePort, produceMessages, randomName, TEST_KAFKA_BROKERS, TEST_SCHEMA_REGISTRY_URL, testKafka, waitFor,
} from '@cryptostream/testing';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archivedUpTo } from './support/archive-checks';

const T0 = Date.UTC(2025, 2, 4);
const trade = (tradeId: number) => JSON.stringify({ symbol: 'BTCUSDT', price: '43200.12', quantity: '0.5', tradeId, timestamp: T0 / 1000, eventTimeMs: T0, isBuyerMaker: false, source: 'ws-trade' });
const candle = (symbol: string): WindowUpdate => ({
  symbol, source: 'trades', startMs: T0, endMs: T0 + 60_000, open: '1.5', high: '2', low: '1', close: '2', volume: '3', quoteVolume: '4.5', baseVolume: null,
  takerBuyVolume: '1', takerBuyQuoteVolume: '1.5', takerBuyBaseVolume: null, vwap: '1.5', averagePrice: '1.5', tradeCount: 3, revision: 0,
  windowSizeMs: 60_000, eventCount: 3, closed: true, publishedAtMs: T0 + 61_000,
});
const header = (id: number) => ({ [SCHEMA_ID_HEADER]: encodeSchemaId(id) });

/**
 * The archiver checks the schema id of each trade and window update (real Apicurio, Kafka,
 * MySQL, the lake): records of the registered schemas and without a header are archived; an
 * unknown id and another artifact's id are skipped, counted with reason `schema-id` and logged
 * once per id, and the lake's progress goes past them. A registry that does not answer makes it
 * not ready, with the reason.
 */
describe('archiver with a schema registry', () => {
  beforeAll(() => ensureKafka());

  it('archives trades and candles of known ids and without a header, skips unknown and foreign ids counted and logged once', async () => {
    const group = randomName('archiver');
    const topics = await createTestTopics(['prices', 'dlq', 'windows'], 1);
    const { prices, dlq, windows } = topics.topics;
    const client = new ApicurioClient({ url: TEST_SCHEMA_REGISTRY_URL, group, timeoutMs: 20_000 });
    const [tradeIds, , candleIds] = await registerSchemas(client, [{ topic: prices, kind: 'trade' }, { topic: prices, kind: 'source-progress' }, { topic: windows, kind: 'window-update' }]);
    const db = await createTestDatabase();
    const lakeDir = mkdtempSync(join(tmpdir(), 'lake-schema-ids-'));
    // Apart from the lake: the archiver removes the files of its directory that no commit lists.
    const logDir = mkdtempSync(join(tmpdir(), 'archiver-schema-ids-'));
    const producer = testKafka().producer();
    await producer.connect();
    try {
      await produceMessages(producer, prices, [
        { value: trade(1), headers: header(tradeIds.currentId) },
        { value: trade(2) },
        { value: trade(3), headers: header(987_654_321) },
        { value: trade(4), headers: header(candleIds.currentId) },
        { value: trade(5), headers: header(987_654_321) },
      ]);
      await produceMessages(producer, windows, [
        { value: encodeWindowUpdate(candle('BTCUSDT')), headers: header(candleIds.currentId) },
        { value: encodeWindowUpdate(candle('ETHUSDT')), headers: header(tradeIds.currentId) },
      ]);
      const archiver = AppProcess.start('archiver', await freePort(), {
        KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_TOPIC: prices, KAFKA_DLQ_TOPIC: dlq, KAFKA_WINDOWS_TOPIC: windows,
        KAFKA_GROUP_ID: randomName('archiver'), MYSQL_URL: db.url, LAKE_DIR: lakeDir, LAKE_ROLL_MS: '60000',
        SCHEMA_REGISTRY_URL: TEST_SCHEMA_REGISTRY_URL, SCHEMA_REGISTRY_GROUP: group,
      }, logDir);
      try {
      await archiver.waitReady(30_000);
      const metrics = () => fetch(`http://127.0.0.1:${archiver.port}/metrics`).then((response) => response.text());
      const consumed = [`archiver_records_consumed_total{topic="${prices}"} 5`, `archiver_records_consumed_total{topic="${windows}"} 2`];
      await waitFor('every record read', async () => { const text = await metrics(); return consumed.every((line) => text.includes(line)); }, { timeoutMs: 20_000 });
      const skipped = (await metrics()).split('\n').filter((line) => line.startsWith('archiver_records_skipped_total{'));
      expect(skipped).toEqual(expect.arrayContaining([
        `archiver_records_skipped_total{topic="${prices}",reason="schema-id"} 3`, `archiver_records_skipped_total{topic="${windows}",reason="schema-id"} 1`,
      ]));
      } finally {
        expect(await archiver.stop()).toBe(0);
      }
      expect([await archivedUpTo(db.pool, prices), await archivedUpTo(db.pool, windows)]).toEqual([5, 2]);
      const log = readFileSync(archiver.logFile, 'utf8');
      expect(log.split('\n').filter((line) => line.includes('unknown schema id 987654321'))).toHaveLength(1);
      expect(log).toMatch(new RegExp(`schema id ${candleIds.currentId} is ${group}/${windows}-window-update version \\d+, not a schema of ${prices}`));
      expect(log).toMatch(new RegExp(`schema id ${tradeIds.currentId} is ${group}/${prices}-trade version 1, not a schema of ${windows}`));

      const reader = await LakeReader.open(lakeDir, new LakeManifest(db.pool));
      try {
        expect((await reader.query('SELECT trade_id FROM trades ORDER BY trade_id')).rows).toEqual([['1'], ['2']]);
        expect((await reader.query('SELECT symbol FROM candles')).rows).toEqual([['BTCUSDT']]);
      } finally {
        reader.close();
      }
    } finally {
      await producer.disconnect();
      await topics.dispose();
      await db.drop();
      rmSync(lakeDir, { recursive: true, force: true });
      rmSync(logDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('is not ready, with the reason, while the registry does not answer', async () => {
    const topics = await createTestTopics(['prices', 'dlq', 'windows'], 1);
    const db = await createTestDatabase();
    const lakeDir = mkdtempSync(join(tmpdir(), 'lake-schema-ids-down-'));
    const archiver = AppProcess.start('archiver', await freePort(), {
      KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_TOPIC: topics.topics['prices'], KAFKA_DLQ_TOPIC: topics.topics['dlq'], KAFKA_WINDOWS_TOPIC: topics.topics['windows'],
      KAFKA_GROUP_ID: randomName('archiver'), MYSQL_URL: db.url, LAKE_DIR: lakeDir, SCHEMA_REGISTRY_URL: 'http://127.0.0.1:1',
    }, lakeDir);
    try {
      type Readiness = { readonly details?: Record<string, { status: string; message?: string }> };
      const answer = await waitFor('the readiness to name the registry', async () => {
        const ready = await fetch(`http://127.0.0.1:${archiver.port}/health/ready`).then(async (response) => ({ status: response.status, body: (await response.json()) as Readiness }), () => undefined);
        return ready?.body.details?.['schemaRegistry']?.message?.includes('does not answer') ? ready : undefined;
      }, { timeoutMs: 20_000 });
      expect(answer.status).toBe(503);
      expect(answer.body.details?.['schemaRegistry']).toEqual({ status: 'down', message: expect.stringMatching(/^schema registry http:\/\/127\.0\.0\.1:1 does not answer/) });
    } finally {
      await archiver.stop();
      await topics.dispose();
      await db.drop();
      rmSync(lakeDir, { recursive: true, force: true });
    }
  }, 60_000);
});
