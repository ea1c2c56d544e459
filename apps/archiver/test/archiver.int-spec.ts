import 'reflect-metadata';
import { LakeManifest, LakeReader } from '@cryptostream/lake';
import { encodeDeadLetter, encodeWindowUpdate, WindowUpdate } from '@cryptostream/schema';
import {
  AppProcess, createTestDatabase, createTestTopics, ensureKafka, freePort, produceMessages, randomName, TEST_KAFKA_BROKERS, testKafka, waitFor,
} from '@cryptostream/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archivedUpTo } from './support/archive-checks';

jest.setTimeout(180_000);

const T0 = Date.UTC(2025, 2, 4);
const update = (revision: number, closed: boolean, close: string): WindowUpdate => ({
  symbol: 'BTCUSDT', source: 'trades', startMs: T0, endMs: T0 + 60_000, open: '1.5', high: '2', low: '1', close, volume: '3', quoteVolume: '4.5', baseVolume: null,
  takerBuyVolume: '1', takerBuyQuoteVolume: '1.5', takerBuyBaseVolume: null, vwap: '1.5', averagePrice: '1.5', tradeCount: 3, revision,
  windowSizeMs: 60_000, eventCount: 3, closed, publishedAtMs: T0 + 61_000,
});

/**
 * The archiver on all three topics: the final candles (not the open updates, the latest revision
 * in `candles`), every dead letter with its reason (too-late trades flagged; one whose origin offset
 * is not a number, kept with that offset null and said in its reason), and a trade topic's
 * source-progress records and invalid messages left out, all past its progress.
 */
describe('archiver', () => {
  it('archives final candles, flags too-late dead letters, skips what is not a trade, and stops cleanly', async () => {
    ensureKafka();
    const topics = await createTestTopics(['prices', 'dlq', 'windows'], 1);
    const db = await createTestDatabase();
    const lakeDir = mkdtempSync(join(tmpdir(), 'lake-archiver-'));
    const producer = testKafka().producer();
    await producer.connect();
    const trade = JSON.stringify({ symbol: 'BTCUSDT', price: '43200.12', quantity: '0.5', tradeId: 7, timestamp: T0 / 1000, eventTimeMs: T0, isBuyerMaker: false, source: 'ws-trade' });
    try {
      await produceMessages(producer, topics.topics['prices'], [
        { value: trade },
        { value: '{"kind":"progress","symbol":"BTCUSDT","completeUpToMs":1741046400000,"state":"live","atMs":1741046400000}' },
        { value: 'not json' },
        { value: '{"kind":"progress","atMs":1741046400000,"live":{"BTCUSDT":1741046400000},"recovering":{"ETHUSDT":1741046300000}}' },
      ]);
      await produceMessages(producer, topics.topics['windows'], [
        { value: encodeWindowUpdate(update(0, false, '1.9')) }, { value: encodeWindowUpdate(update(0, true, '2')) }, { value: encodeWindowUpdate(update(1, true, '1.25')) },
      ]);
      await produceMessages(producer, topics.topics['dlq'], [
        { value: encodeDeadLetter({ reason: 'not JSON: Unexpected token', payload: 'not json', rejectedBy: 'aggregator', rejectedAtMs: T0 + 5, origin: { topic: topics.topics['prices'], partition: 0, offset: '2' } }) },
        { value: encodeDeadLetter({ reason: 'too late: its 1m window closed at …', payload: trade, rejectedBy: 'aggregator', rejectedAtMs: T0 + 6, origin: { topic: topics.topics['prices'], partition: 0, offset: '0' } }) },
        { value: encodeDeadLetter({ reason: 'price: not a decimal', payload: trade, rejectedBy: 'replay', rejectedAtMs: T0 + 7, origin: { topic: topics.topics['prices'], partition: 0, offset: 'abc' } }) },
      ]);
      const archiver = AppProcess.start('archiver', await freePort(), {
        KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_TOPIC: topics.topics['prices'], KAFKA_DLQ_TOPIC: topics.topics['dlq'], KAFKA_WINDOWS_TOPIC: topics.topics['windows'],
        KAFKA_GROUP_ID: randomName('archiver'), MYSQL_URL: db.url, LAKE_DIR: lakeDir, LAKE_ROLL_MS: '60000',
      }, lakeDir);
      await archiver.waitReady(120_000);
      // Rolled by time only after a minute: SIGTERM commits what is buffered.
      const dlqRead = `archiver_records_consumed_total{topic="${topics.topics['dlq']}"} 3`;
      await waitFor('the dead letters read', async () => (await fetch(`http://127.0.0.1:${archiver.port}/metrics`).then((r) => r.text())).includes(dlqRead), { timeoutMs: 60_000, everyMs: 250 });
      expect(await archiver.stop()).toBe(0);
      expect([await archivedUpTo(db.pool, topics.topics['prices']), await archivedUpTo(db.pool, topics.topics['windows']), await archivedUpTo(db.pool, topics.topics['dlq'])]).toEqual([4, 3, 3]);

      const reader = await LakeReader.open(lakeDir, new LakeManifest(db.pool));
      try {
        expect((await reader.query('SELECT symbol, CAST(price AS VARCHAR), is_buyer_maker, source, kafka_offset FROM trades')).rows).toEqual([['BTCUSDT', '43200.120000000000', false, 'ws-trade', '0']]);
        expect((await reader.query('SELECT "interval", symbol, revision, CAST(close AS VARCHAR), quote_volume FROM candles')).rows).toEqual([['1m', 'BTCUSDT', 1, '1.250000000000', '4.5']]);
        expect((await reader.query('SELECT count(*) FROM candle_revisions')).rows).toEqual([['2']]);
        expect((await reader.query('SELECT too_late, symbol, origin_offset, reason FROM dead_letters ORDER BY kafka_offset')).rows).toEqual([
          [false, null, '2', 'not JSON: Unexpected token'], [true, 'BTCUSDT', '0', 'too late: its 1m window closed at …'],
          [false, 'BTCUSDT', null, 'price: not a decimal (origin.offset "abc" is not a safe integer: archived as null)'],
        ]);
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
