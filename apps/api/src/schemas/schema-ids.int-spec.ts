import 'reflect-metadata';
import { encodeSchemaId, encodeWindowUpdate, SCHEMA_ID_HEADER, WindowUpdate } from '@cryptostream/schema';
import { ApicurioClient, registerSchemas } from '@cryptostream/schema-registry';
import { AppProcess, createTestDatabase, createTestTopics, freePort, randomName, TEST_KAFKA_BROKERS, TEST_SCHEMA_REGISTRY_URL, testKafka, waitFor } from '@cryptostream/testing';
import { readFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const LOGS = join(__dirname, '../../../../tmp/api-schema-ids-test');
const T0 = Date.UTC(2025, 2, 4);

const update = (tradeCount: number): WindowUpdate => ({
  symbol: 'TRXUSDT', source: 'trades', windowSizeMs: 60_000, startMs: T0, endMs: T0 + 60_000,
  open: '0.23097', high: '0.2310000', low: '0.2305', close: '0.2310', volume: '1443073.0', quoteVolume: '332948.24274',
  baseVolume: null, takerBuyVolume: null, takerBuyQuoteVolume: null, takerBuyBaseVolume: null, vwap: '0.23072234', averagePrice: '0.2308', tradeCount, eventCount: tradeCount, revision: 0, closed: false, publishedAtMs: Date.now(),
});

/** The trade counts of the updates the API streams for TRXUSDT, as they arrive. */
function streamTradeCounts(port: number): { readonly counts: number[]; stop(): void } {
  const counts: number[] = [];
  const controller = new AbortController();
  void fetch(`http://127.0.0.1:${port}/api/candles/stream?symbol=TRXUSDT&interval=1m`, { signal: controller.signal }).then(async (response) => {
    let buffer = '';
    for await (const chunk of response.body!) {
      buffer += Buffer.from(chunk).toString();
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const data = /^data: (.*)$/m.exec(buffer.slice(0, end))?.[1];
        buffer = buffer.slice(end + 2);
        if (data) counts.push((JSON.parse(data) as { tradeCount: number }).tradeCount);
      }
    }
  }).catch(() => undefined);
  return { counts, stop: () => controller.abort() };
}

const metric = async (port: number, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text())?.[1] ?? NaN);

/**
 * The API checks the schema id of each window update it reads (real Apicurio, Kafka, MySQL):
 * updates of the registered schema and without a header are served; an unknown id and another
 * artifact's id are not, counted and logged once per id. A registry that does not answer makes
 * it not ready, with the reason.
 */
describe('API with a schema registry', () => {
  it('serves updates of a known id and without a header; refuses unknown and foreign ids, counted and logged once per id', async () => {
    mkdirSync(LOGS, { recursive: true });
    const group = randomName('api');
    const { topics, dispose } = await createTestTopics(['windows'], 1);
    const client = new ApicurioClient({ url: TEST_SCHEMA_REGISTRY_URL, group, timeoutMs: 20_000 });
    const [windowUpdate, foreign] = await registerSchemas(client, [{ topic: topics['windows'], kind: 'window-update' }, { topic: 'elsewhere', kind: 'trade' }]);
    const db = await createTestDatabase();
    const api = AppProcess.start('api', await freePort(), {
      MYSQL_URL: db.url, KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_WINDOWS_TOPIC: topics['windows'], SCHEMA_REGISTRY_URL: TEST_SCHEMA_REGISTRY_URL, SCHEMA_REGISTRY_GROUP: group,
    }, LOGS);
    const producer = testKafka('api-schema-ids').producer();
    try {
      await api.waitReady(30_000);
      const stream = streamTradeCounts(api.port);
      await producer.connect();
      const header = (id: number) => ({ [SCHEMA_ID_HEADER]: encodeSchemaId(id) });
      const send = (tradeCount: number, headers?: Record<string, Buffer>) => ({ key: 'TRXUSDT', value: encodeWindowUpdate(update(tradeCount)), ...(headers ? { headers } : {}) });
      await producer.send({ topic: topics['windows'], acks: -1, messages: [
        send(1, header(windowUpdate.currentId)), send(2), send(3, header(987_654_321)), send(4, header(foreign.currentId)), send(5, header(987_654_321)), send(6, header(windowUpdate.currentId)),
      ] });
      // The stream may open after the first updates: it then starts with the latest state, which must be 6.
      const counts = await waitFor('update 6 on the stream', () => stream.counts.includes(6) && stream.counts, { timeoutMs: 20_000 });
      stream.stop();
      expect(counts.every((count) => [1, 2, 6].includes(count))).toBe(true);
      expect(await metric(api.port, 'api_window_updates_refused_total')).toBe(3);
      expect(await metric(api.port, 'api_window_updates_received_total')).toBe(3);
      const log = await readFile(api.logFile, 'utf8');
      const unknown = log.split('\n').filter((line) => line.includes(`unknown schema id 987654321: the registry at ${TEST_SCHEMA_REGISTRY_URL} has no such schema`));
      expect(unknown).toHaveLength(1);
      expect(log).toMatch(new RegExp(`schema id ${foreign.currentId} is ${group}/elsewhere-trade version 1, not a schema of ${topics['windows']}`));
    } finally {
      await producer.disconnect();
      await api.stop();
      await dispose();
      await db.drop();
    }
  }, 60_000);

  it('is not ready, with the reason, while the registry does not answer', async () => {
    mkdirSync(join(LOGS, 'down'), { recursive: true });
    const db = await createTestDatabase();
    const { topics, dispose } = await createTestTopics(['windows'], 1);
    const api = AppProcess.start('api', await freePort(), { MYSQL_URL: db.url, KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_WINDOWS_TOPIC: topics['windows'], SCHEMA_REGISTRY_URL: 'http://127.0.0.1:1' }, join(LOGS, 'down'));
    try {
      const ready = await waitFor('the readiness to name the registry', async () => {
        const answer = await fetch(`http://127.0.0.1:${api.port}/health/ready`).then(async (response) => ({ status: response.status, body: (await response.json()) as { details?: Record<string, { status: string; message?: string }> } }), () => undefined);
        return answer?.body.details?.['schemaRegistry']?.message?.includes('does not answer') ? answer : undefined;
      }, { timeoutMs: 20_000 });
      expect(ready.status).toBe(503);
      expect(ready.body.details?.['schemaRegistry']).toEqual({ status: 'down', message: expect.stringMatching(/^schema registry http:\/\/127\.0\.0\.1:1 does not answer/) });
      const live = await fetch(`http://127.0.0.1:${api.port}/health/live`);
      expect(live.status).toBe(200);
    } finally {
      await api.stop();
      await dispose();
      await db.drop();
    }
  }, 60_000);
});
