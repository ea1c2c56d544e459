import fc from 'fast-check';
import { ExactSum } from './exact-sum';
import { divideHalfUp, formatScaled } from './format-decimal';
import { compareDecimals, parseDecimal, ScaledDecimal } from './scaled-decimal';

const parsed = (text: string) => {
  const out = new ScaledDecimal();
  if (!parseDecimal(text, out)) throw new Error(`not a decimal: ${text}`);
  return out;
};

describe('parseDecimal', () => {
  it.each([
    ['0.23103', 23103, 5],
    ['243.0', 243, 0],
    ['0.10', 1, 1],
    ['007', 7, 0],
    ['0', 0, 0],
    ['9007199254740991', 9007199254740991, 0],
  ])('parses %p into a safe mantissa %p at scale %p', (text, mantissa, scale) => {
    expect(parsed(text)).toMatchObject({ mantissa, scale, big: undefined });
  });

  it('falls back to BigInt beyond 2^53, and back to a Number once trailing zeros are gone', () => {
    expect(parsed('123456789012345678.9')).toMatchObject({ big: 1234567890123456789n, scale: 1 });
    expect(parsed('1234567.890123400000000000')).toMatchObject({ mantissa: 12345678901234, big: undefined, scale: 7 });
  });

  it.each(['', '.', '1.', '.1', '-1', '+1', '1e3', '1,5', '1.2.3', ' 1'])('refuses %p', (text) => {
    expect(parseDecimal(text, new ScaledDecimal())).toBe(false);
  });
});

describe('compareDecimals', () => {
  it('compares across scales and paths exactly', () => {
    expect(compareDecimals(parsed('0.1'), parsed('0.10'))).toBe(0);
    expect(compareDecimals(parsed('0.23103'), parsed('0.2311'))).toBeLessThan(0);
    expect(compareDecimals(parsed('90071992547409.93'), parsed('90071992547409.92'))).toBeGreaterThan(0);
    expect(compareDecimals(parsed('1'), parsed('0.99999999999999999999999'))).toBeGreaterThan(0);
  });
});

describe('ExactSum', () => {
  it('moves its Number part into the BigInt before it could round (2^52 boundary)', () => {
    const sum = new ExactSum();
    const term = 2 ** 51 + 1;
    for (let i = 0; i < 10; i++) sum.add(term, 0);
    expect(sum.value).toBe(10n * BigInt(term));
  });

  it('rescales without rounding when a finer scale arrives, on either path', () => {
    const sum = new ExactSum();
    sum.add(4_000_000_000_000_000, 0);
    sum.add(1, 18);
    sum.add(4_000_000_000_000_000, 2);
    expect(formatScaled(sum.value, sum.scale)).toBe('4040000000000000.000000000000000001');
  });

  it('equals a plain BigInt sum for any terms', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 24 }))), (terms) => {
        const sum = new ExactSum();
        let expected = 0n;
        const scale = Math.max(0, ...terms.map(([, s]) => s));
        for (const [mantissa, s] of terms) {
          sum.add(mantissa, s);
          expected += BigInt(mantissa) * 10n ** BigInt(scale - s);
        }
        expect(sum.value * 10n ** BigInt(scale - sum.scale)).toBe(expected);
      }),
    );
  });
});

describe('formatting', () => {
  it('prints the shortest plain decimal', () => {
    expect(formatScaled(2430n, 1)).toBe('243');
    expect(formatScaled(5n, 3)).toBe('0.005');
    expect(formatScaled(0, 4)).toBe('0');
    expect(formatScaled(12345n, 0)).toBe('12345');
  });

  it('divides half up to a fixed number of places', () => {
    expect(divideHalfUp(1n, 0, 3n, 8)).toBe('0.33333333');
    expect(divideHalfUp(2n, 0, 3n, 8)).toBe('0.66666667');
    expect(divideHalfUp(5n, 9, 1n, 8)).toBe('0.00000001'); // 0.000000005 rounds up
    expect(divideHalfUp(4n, 9, 1n, 8)).toBe('0.00000000');
    expect(divideHalfUp(123n, 0, 1n, 8)).toBe('123.00000000');
  });
});
