import { decodeDeadLetter, DeadLetter, fittedDeadLetters, MAX_DEAD_LETTER_PAYLOAD, SHORT_DEAD_LETTER_PAYLOAD } from './dead-letter';

const letter = (payloadLength: number): DeadLetter => ({ reason: 'price: not a decimal', payload: 'x'.repeat(payloadLength), rejectedBy: 'aggregator', rejectedAtMs: 1 });
const payloadOf = (value: string) => (decodeDeadLetter(value) as DeadLetter).payload.length;

describe('fittedDeadLetters: a dead letter within the topic’s max.message.bytes', () => {
  it('offers the letter with its payload cut to 16 KiB, then to 1 KiB, the reason saying so', () => {
    const [long, short, ...more] = fittedDeadLetters(letter(100_000), () => true);
    expect([payloadOf(long), payloadOf(short), more]).toEqual([MAX_DEAD_LETTER_PAYLOAD, SHORT_DEAD_LETTER_PAYLOAD, []]);
    expect((decodeDeadLetter(short) as DeadLetter).reason).toBe('price: not a decimal (payload of 100000 characters cut to 1024)');
  });

  it('keeps only the cuts that fit, and none when even the short one does not', () => {
    const within = (bytes: number) => (value: string) => Buffer.byteLength(value) <= bytes;
    expect([...fittedDeadLetters(letter(100_000), within(4_096))].map(payloadOf)).toEqual([SHORT_DEAD_LETTER_PAYLOAD]);
    expect([...fittedDeadLetters(letter(100_000), within(512))]).toEqual([]);
  });

  it('leaves a short payload whole, and encodes a cut only when it is asked for', () => {
    const asked: number[] = [];
    const [first] = fittedDeadLetters(letter(10), (value) => asked.push(value.length) > 0);
    expect(decodeDeadLetter(first)).toEqual(letter(10));
    expect(asked).toHaveLength(1);
  });
});
