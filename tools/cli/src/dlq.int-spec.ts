import { DeadLetter, encodeDeadLetter } from '@cryptostream/schema';
import { createTestTopics, ensureKafka, readTopic, testKafka, TEST_KAFKA_BROKERS } from '@cryptostream/testing';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runDlq, UsageError } from './dlq/dlq-command';

const price = (symbol: string, tradeId: number) => JSON.stringify({ symbol, price: '43200.12', quantity: '0.5', timestamp: 1741046404.986, eventTimeMs: 1741046404986, tradeId });
const letter = (reason: string, payload: string, fields: Partial<DeadLetter> = {}): string =>
  encodeDeadLetter({ reason, payload, rejectedBy: 'aggregator', rejectedAtMs: Date.UTC(2026, 10, 26), ...fields });

describe('npm run dlq (real Kafka)', () => {
  let topics: Awaited<ReturnType<typeof createTestTopics>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    ensureKafka();
    topics = await createTestTopics(['prices', 'dlq'], 2);
    env = { KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_TOPIC: topics.topics['prices'], KAFKA_DLQ_TOPIC: topics.topics['dlq'] };
    const origin = (offset: number) => ({ origin: { topic: topics.topics['prices'], partition: 1, offset: String(offset) } });
    const producer = testKafka().producer();
    await producer.connect();
    await producer.send({
      topic: topics.topics['dlq'],
      acks: -1,
      messages: [
        letter('not JSON: Unexpected token o in JSON at position 1', 'not json', origin(5)),
        letter('not JSON: Unexpected token o in JSON at position 3', 'no json', origin(9)),
        letter('message too large: 5034 bytes (max 4096)', price('BTCUSDT', 1), origin(12)),
        letter('refused for crypto_prices: MESSAGE_TOO_LARGE: 2217 bytes', price('ETHUSDT', 2), { rejectedBy: 'ingestor' }),
        letter('price must be a decimal string greater than zero', price('BTCUSDT', 3).replace('43200.12', '-1'), origin(20)),
      ].map((value) => ({ partition: 0, key: null, value })),
    });
    await producer.send({ topic: topics.topics['dlq'], acks: -1, messages: [{ partition: 1, key: null, value: 'written by hand' }] });
    await producer.disconnect();
  });

  afterAll(async () => {
    await topics.dispose();
  });

  /** Runs the command in-process and collects what it writes. */
  async function dlq(...argv: string[]) {
    const output = { out: '', err: '' };
    const code = await runDlq(argv, env, { out: (text) => (output.out += text), err: (text) => (output.err += text) });
    return { code, ...output };
  }

  it('lists the dead letters by kind of reason, with counts', async () => {
    const { code, out } = await dlq('list');
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toBe(`6 dead letters in ${topics.topics['dlq']}, 5 kinds of reason`);
    expect(lines[2]).toMatch(/^\s+2 {2}0:0 +aggregator +not JSON: Unexpected token o in JSON at position N$/);
    expect(lines).toContainEqual(expect.stringMatching(/^\s+1 {2}1:0 +unknown +not a dead letter/));
    expect((await dlq('list', '--reason', 'too.large')).out).toMatch(/^2 dead letters .* with a reason matching \/too.large\/i, 2 kinds/);
  });

  it('shows one dead letter: reason, origin and the raw payload', async () => {
    const { code, out } = await dlq('show', '0:2');
    expect(code).toBe(0);
    expect(out).toContain('reason       message too large: 5034 bytes (max 4096)');
    expect(out).toContain(`origin       ${topics.topics['prices']}/1/12`);
    expect(out).toContain('rejected by  aggregator at 2026-11-26T00:00:00.000Z');
    expect(out.trimEnd().endsWith(price('BTCUSDT', 1))).toBe(true);
    expect((await dlq('show', '0:99')).code).toBe(1);
  });

  it('replays the chosen ones to the price topic, keyed by symbol, and skips the still invalid unless forced', async () => {
    const dryRun = await dlq('replay', '--reason', 'too.large', '--dry-run');
    expect(dryRun.err).toMatch(/would replay 2 of 2/);
    const replayed = await dlq('replay', '--reason', 'too large|MESSAGE_TOO_LARGE');
    expect(replayed).toMatchObject({ code: 0, err: expect.stringMatching(new RegExp(`replayed 2 of 2 chosen dead letters to ${topics.topics['prices']}; 0 still invalid`)) });
    const skipped = await dlq('replay', '0:4', '0:0');
    expect(skipped.err).toMatch(/skipped 0:4: still invalid \(price must be/);
    expect(skipped.err).toMatch(/replayed 0 of 2 .* 2 still invalid, skipped \(fix them, or --force\)/);
    await dlq('replay', '0:4', '--force');
    const stored = await readTopic(testKafka(), topics.topics['prices']);
    expect(stored.map((record) => record.value).sort()).toEqual([price('BTCUSDT', 1), price('ETHUSDT', 2), price('BTCUSDT', 3).replace('43200.12', '-1')].sort());
  });

  it('says how to use it when the arguments are wrong', async () => {
    await expect(dlq('replay')).rejects.toThrow(UsageError);
    await expect(dlq('show', 'zero')).rejects.toThrow(/partition:offset, like 0:42/);
    await expect(dlq('frobnicate')).rejects.toThrow(/unknown command "frobnicate"\nusage:/);
  });

  it('runs as npm run dlq does', async () => {
    const root = join(__dirname, '../../..');
    const { stdout } = await promisify(execFile)(process.execPath, ['-r', '@swc-node/register', 'tools/cli/src/dlq.main.ts', 'list'], { cwd: root, env: { ...process.env, ...env } });
    expect(stdout).toMatch(/^6 dead letters/);
    const failed = await promisify(execFile)(process.execPath, ['-r', '@swc-node/register', 'tools/cli/src/dlq.main.ts', 'list', '--bogus'], { cwd: root, env: { ...process.env, ...env } }).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 2, stderr: expect.stringMatching(/^dlq: Unknown option '--bogus'/) });
  }, 30_000);
});
