import 'reflect-metadata';
import { DeadLetter } from '@cryptostream/schema';
import { ensureKafka, randomName, readMessages, RECORDINGS, TEST_KAFKA_BROKERS, testKafka } from '@cryptostream/testing';
import { ConfigResourceTypes } from 'kafkajs';
import { loadIngestorConfig } from '../config/ingestor-config.loader';
import { IngestorMetrics } from '../metrics/ingestor.metrics';
import { ContractSizes } from './contract-sizes.service';
import { RegisteredSchemas } from '../schemas/registered-schemas.service';
import { PricePublisher } from './price.publisher';

/** A valid price message; `note` (an unknown field, tolerated and passed on) makes it as large as needed. */
const priceMessage = (i: number, note = '') => ({
  symbol: i % 2 === 0 ? 'BTCUSDT' : 'ETHUSDT', price: `${100 + i}.5`, quantity: '0.25', timestamp: 1741046400 + i, eventTimeMs: 1741046400000 + i * 1000,
  tradeId: i, ...(note ? { note } : {}),
});

const OVERSIZED = new Map([[40, 'x'.repeat(2_000)], [41, 'y'.repeat(2_000)], [150, 'z'.repeat(20_000)]]);
const COUNT = 200;
const expectedIds = (parity: number) => [...Array(COUNT).keys()].filter((i) => i % 2 === parity && !OVERSIZED.has(i));

describe('PricePublisher against a broker that refuses some messages (real Kafka)', () => {
  const admin = testKafka().admin();
  const created: string[] = [];
  const publishers: PricePublisher[] = [];

  beforeAll(async () => {
    ensureKafka();
    await admin.connect();
  });

  afterAll(async () => {
    for (const publisher of publishers) await publisher.onApplicationShutdown();
    await admin.deleteTopics({ topics: created }).catch(() => undefined);
    await admin.disconnect();
  });

  /** A price topic taking messages up to `priceLimit` bytes, a dead-letter topic up to 4 KiB, and a connected publisher. */
  async function setUp(priceLimit: number) {
    const prices = randomName('test_prices_small');
    const dlq = `${prices}.dlq`;
    created.push(prices, dlq);
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: prices, numPartitions: 2, configEntries: [{ name: 'max.message.bytes', value: String(priceLimit) }] },
        { topic: dlq, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '4096' }] },
      ],
    });
    const config = loadIngestorConfig({
      INGESTOR_SOURCE: 'replay', REPLAY_FILES: RECORDINGS.TRXUSDT, KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_TOPIC: prices, KAFKA_DLQ_TOPIC: dlq,
    });
    const publisher = new PricePublisher(testKafka('refusal-test'), config, new IngestorMetrics(), new ContractSizes(config), new RegisteredSchemas(config));
    publishers.push(publisher);
    publisher.onModuleInit();
    await publisher.whenReady();
    return { prices, dlq, publisher };
  }

  async function publishAll(publisher: PricePublisher): Promise<void> {
    for (let i = 0; i < COUNT; i++) await publisher.publishMessage(priceMessage(i, OVERSIZED.get(i)), 'replay');
    await publisher.flush();
  }

  async function read(prices: string, dlq: string, atLeast: number) {
    const published = (await readMessages(testKafka(), prices, atLeast, { timeoutMs: 20_000 })).map((m) => JSON.parse(m.value) as { symbol: string; tradeId: number });
    const letters = (await readMessages(testKafka(), dlq, OVERSIZED.size, { timeoutMs: 20_000 })).map((m) => JSON.parse(m.value) as DeadLetter);
    const ids = (symbol: string) => published.filter((m) => m.symbol === symbol).map((m) => m.tradeId);
    return { ids, letters };
  }

  /**
   * The broker applies a changed topic setting a moment after it acknowledges it (later on a
   * loaded machine): sends a 2 KB probe (symbol PROBE, which the checks leave out) until the
   * broker refuses it. Returns how many it took.
   */
  async function untilRefused(topic: string): Promise<number> {
    const producer = testKafka('refusal-probe').producer({ retry: { retries: 0 } });
    await producer.connect();
    try {
      for (let accepted = 0; ; accepted++) {
        const refused = await producer.send({ topic, acks: -1, messages: [{ key: 'PROBE', value: JSON.stringify({ symbol: 'PROBE', note: 'p'.repeat(2_000) }) }] })
          .then(() => false, (error: Error & { type?: string }) => {
            if (error.type === 'MESSAGE_TOO_LARGE' || /larger than/.test(error.message)) return true;
            throw error;
          });
        if (refused) return accepted;
        if (accepted > 100) throw new Error(`${topic} still takes 2 KB messages after max.message.bytes=1024`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await producer.disconnect();
    }
  }

  it('dead-letters each message too large for the topic with the reason and publishes every other one, in order', async () => {
    const { prices, dlq, publisher } = await setUp(1_024);
    await publishAll(publisher);
    const { ids, letters } = await read(prices, dlq, COUNT - OVERSIZED.size);
    expect(ids('BTCUSDT')).toEqual(expectedIds(0));
    expect(ids('ETHUSDT')).toEqual(expectedIds(1));
    expect(letters.map((letter) => letter.reason)).toEqual([
      expect.stringMatching(new RegExp(`^refused for ${prices}: MESSAGE_TOO_LARGE: 2217 bytes, past max.message.bytes of ${prices} \\(1024\\)$`)),
      expect.stringMatching(/MESSAGE_TOO_LARGE/),
      // 20,000 characters: past what the dead-letter topic takes even when cut to 16 KiB.
      expect.stringMatching(/MESSAGE_TOO_LARGE.*\(payload of \d+ characters cut to 1024\)$/),
    ]);
    expect(letters.slice(0, 2).map((letter) => letter.payload)).toEqual([40, 41].map((i) => JSON.stringify(priceMessage(i, OVERSIZED.get(i)))));
    expect(letters[2].payload).toBe(JSON.stringify(priceMessage(150, OVERSIZED.get(150))).slice(0, 1024));
    expect(publisher.state()).toEqual({ connected: true });
  }, 60_000);

  it('isolates what the broker refuses when the limit changed after start-up, and loses nothing', async () => {
    const { prices, dlq, publisher } = await setUp(1_048_588);
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: prices, configEntries: [{ name: 'max.message.bytes', value: '1024' }] }] });
    const probes = await untilRefused(prices);
    await publishAll(publisher);
    const { ids, letters } = await read(prices, dlq, COUNT - OVERSIZED.size + probes);
    // A refused request may have been appended for its other partition: sent again, it is there twice.
    expect([...new Set(ids('BTCUSDT'))]).toEqual(expectedIds(0));
    expect([...new Set(ids('ETHUSDT'))]).toEqual(expectedIds(1));
    expect(letters.map((letter) => letter.reason)).toEqual(
      [...OVERSIZED.keys()].map(() => expect.stringMatching(new RegExp(`^refused for ${prices}: MESSAGE_TOO_LARGE: The request included a message larger`))),
    );
    expect(letters.map((letter) => letter.payload.slice(0, 100))).toEqual([...OVERSIZED].map(([i, note]) => JSON.stringify(priceMessage(i, note)).slice(0, 100)));
    expect(publisher.state()).toEqual({ connected: true });
  }, 60_000);
});
