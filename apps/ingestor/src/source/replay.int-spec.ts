import 'reflect-metadata';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeadLetter, PriceMessage } from '@cryptostream/schema';
import { ensureKafka, randomName, readMessages, RECORDINGS, testKafka, waitFor } from '@cryptostream/testing';
import { RunningIngestor, startIngestor } from '../testing/ingestor-app';

const RECORDING = RECORDINGS.TRXUSD_PERP;
const HEADER = readFileSync(RECORDING, 'utf8').split('\n', 1)[0];

describe('replay of the TRXUSD_PERP recording', () => {
  const topic = randomName('test_prices');
  const deadLetterTopic = `${topic}.dlq`;
  let ingestor: RunningIngestor;
  let brokenFile: string;

  beforeAll(async () => {
    ensureKafka();
    brokenFile = join(mkdtempSync(join(tmpdir(), 'ingestor-')), 'broken.csv');
    writeFileSync(
      brokenFile,
      [
        HEADER,
        'this is not a trade',
        '1741046404989,xyzusdt@trade,trade,1741046404988,1741046404986,XYZUSDT,7,0.0,0.0,1,',
        '1741046404990,xyzusdt@trade,trade,1741046404989,1741046404987,XYZUSDT,8,1.5,2.0,0,MARKET',
      ].join('\n'),
    );
    ingestor = await startIngestor({
      INGESTOR_SOURCE: 'replay',
      REPLAY_FILES: `${RECORDING},${brokenFile}`,
      KAFKA_TOPIC: topic,
      KAFKA_DLQ_TOPIC: deadLetterTopic,
      CONTRACT_SIZES: 'TRXUSD_PERP:10',
    });
  }, 60_000);

  afterAll(async () => {
    await ingestor?.close();
    const admin = testKafka().admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic, deadLetterTopic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('publishes every market trade keyed by symbol, in id order per symbol, and dead-letters the rest', async () => {
    const startedAt = Date.now();
    await waitFor('the replay to finish', async () => (await ingestor.health('/health/ready')).body.details['source']?.['state'] === 'finished', { timeoutMs: 60_000 });
    const replayMs = Date.now() - startedAt;
    const ready = await ingestor.health('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.details['source']['detail']).toBe('10001 published, 2 dead-lettered');

    const prices = await readMessages(testKafka(), topic, 10_001);
    expect(prices).toHaveLength(10_001);
    const idsBySymbol = new Map<string, number[]>();
    for (const message of prices) {
      const price = JSON.parse(message.value) as PriceMessage;
      expect(message.key).toBe(price.symbol);
      idsBySymbol.set(price.symbol, [...(idsBySymbol.get(price.symbol) ?? []), price.tradeId!]);
      // A COIN-M contract's messages carry its size; the linear XYZUSDT's do not.
      expect(price.contractSize).toBe(price.symbol === 'TRXUSD_PERP' ? '10' : undefined);
    }
    const perp = idsBySymbol.get('TRXUSD_PERP')!;
    expect(perp).toHaveLength(10_000);
    expect(perp.every((id, index) => id === 39605682 + index)).toBe(true);
    expect(idsBySymbol.get('XYZUSDT')).toEqual([8]);
    expect(JSON.parse(prices.find((m) => m.key === 'XYZUSDT')!.value)).toEqual({
      symbol: 'XYZUSDT', price: '1.5', timestamp: 1741046404.987, eventTimeMs: 1741046404987, quantity: '2.0', tradeId: 8, tradeCount: 1, isBuyerMaker: false, source: 'replay',
    });

    const letters = (await readMessages(testKafka(), deadLetterTopic, 2)).map((message) => JSON.parse(message.value) as DeadLetter);
    expect(letters.map((letter) => letter.reason).sort()).toEqual([
      expect.stringMatching(/^not a market trade: non-positive price 0\.0/),
      expect.stringMatching(/^unreadable line: expected 11 columns/),
    ]);
    expect(letters.every((letter) => letter.rejectedBy === 'ingestor' && letter.origin?.stream?.startsWith(brokenFile))).toBe(true);
    expect(replayMs).toBeLessThan(15_000);
    console.log(`measured: replay of 10,003 lines published and acknowledged in ${replayMs} ms (including app start-up polling)`);

    const metrics = await ingestor.metrics();
    expect(metrics).toMatch(/ingestor_published_total\{symbol="TRXUSD_PERP"\} 10000/);
    expect(metrics).toMatch(/ingestor_invalid_total\{source="replay"\} 2/);
    expect((await ingestor.health('/health/live')).status).toBe(200);
  }, 90_000);
});
