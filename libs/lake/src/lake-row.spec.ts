import fc from 'fast-check';
import { csvLine, integerText } from './lake-row';

describe('integerText', () => {
  it('gives String(n) for every safe integer, on both sides of the halves and near 2^53', () => {
    const edges = [0, 1, -1, 99_999_999, 100_000_000, 100_000_001, 199_999_999, 1_741_046_404_349, 9_007_199_200_000_000, 9_007_199_199_999_999, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
    for (const n of edges) expect(integerText(n)).toBe(String(n));
    fc.assert(fc.property(fc.maxSafeInteger(), (n) => integerText(n) === String(n)), { numRuns: 20_000 });
    fc.assert(fc.property(fc.integer({ min: 1, max: 90_071_992 }), fc.integer({ min: -3, max: 3 }), (high, near) => {
      const n = Math.min(Number.MAX_SAFE_INTEGER, high * 1e8 + near);
      return integerText(n) === String(n);
    }), { numRuns: 20_000 });
  });
});

describe('csvLine', () => {
  it('quotes what needs it, leaves nulls empty and refuses a number that is not finite', () => {
    expect(csvLine([1741046404349, true, null, 'a,b', 'say "hi"', '0.5', ''])).toBe('1741046404349,true,,"a,b","say ""hi""",0.5,""\n');
    expect(() => csvLine([1, Number.NaN])).toThrow('NaN cannot be written to the lake');
  });
});
