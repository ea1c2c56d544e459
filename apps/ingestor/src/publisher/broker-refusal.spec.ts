import { KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import { refusalOf, sendIsolatingRefused } from './broker-refusal';
import { RECORD_OVERHEAD_BYTES, recordBytes, splitWithinLimits } from '@cryptostream/kafka-io';

const tooLarge = () => new KafkaJSProtocolError({ type: 'MESSAGE_TOO_LARGE', code: 10, retriable: false, message: 'too large' } as never);

describe('refusalOf', () => {
  it('names a refusal for the data, also when kafkajs wraps it', () => {
    expect(refusalOf(tooLarge())).toBe('MESSAGE_TOO_LARGE: too large');
    expect(refusalOf(Object.assign(new KafkaJSNonRetriableError(new Error('wrapped')), { cause: tooLarge() }))).toMatch(/^MESSAGE_TOO_LARGE/);
  });

  it('leaves errors that a retry can cure alone', () => {
    expect(refusalOf(new KafkaJSProtocolError({ type: 'NOT_LEADER_FOR_PARTITION', code: 6, retriable: true, message: 'moved' } as never))).toBeUndefined();
    expect(refusalOf(new Error('Connection timeout'))).toBeUndefined();
  });
});

describe('sendIsolatingRefused', () => {
  it('sends every message but the refused ones, in order, and hands those over with the reason', async () => {
    const stored: string[] = [];
    const refused: string[] = [];
    const send = async (part: readonly string[]) => {
      if (part.some((m) => m.startsWith('big'))) throw tooLarge();
      stored.push(...part);
    };
    const messages = ['a', 'b', 'big1', 'c', 'd', 'e', 'big2', 'big3', 'f'];
    await sendIsolatingRefused(messages, send, async (m, reason) => void refused.push(`${m} ${reason}`));
    expect(stored).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(refused).toEqual(['big1 MESSAGE_TOO_LARGE: too large', 'big2 MESSAGE_TOO_LARGE: too large', 'big3 MESSAGE_TOO_LARGE: too large']);
  });

  it('throws any other error, after reporting what went through', async () => {
    const sent: string[] = [];
    const send = async (part: readonly string[]) => {
      if (part.includes('big')) throw tooLarge();
      if (part.includes('down')) throw new Error('broker down');
    };
    await expect(sendIsolatingRefused(['a', 'big', 'down', 'b'], send, async () => undefined, (part) => sent.push(...part))).rejects.toThrow('broker down');
    expect(sent).toEqual(['a', 'big']);
  });
});

describe('splitWithinLimits', () => {
  const message = (topic: string, size: number) => ({ topic, key: null, value: 'v'.repeat(size - RECORD_OVERHEAD_BYTES) });

  it('keeps runs within the smallest limit of their topics and sets apart what is too large alone', () => {
    const limits: Record<string, number> = { prices: 1_000, dlq: 4_000 };
    const messages = [message('prices', 400), message('prices', 400), message('prices', 400), message('prices', 1_001), message('dlq', 2_000), message('dlq', 1_500), message('prices', 100)];
    const { runs, oversized } = splitWithinLimits(messages, (topic) => limits[topic]);
    expect(runs.map((run) => run.map(recordBytes))).toEqual([[400, 400], [400], [2_000, 1_500], [100]]);
    expect(oversized.map(recordBytes)).toEqual([1_001]);
  });
});
