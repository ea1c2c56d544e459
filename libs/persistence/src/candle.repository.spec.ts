import { canonicalDecimal } from '@cryptostream/schema';
import fc from 'fast-check';
import { epochMsOfMysqlDateTime, exactDecimal } from './candle.repository';

describe('reading candle rows', () => {
  it.each([
    ['0.2308000000', '0.2308'], ['12.0000000000', '12'], ['100.5000', '100.5'], ['0.0000000000', '0'], ['100', '100'], ['0.00000001', '0.00000001'],
  ])('strips the padding of DECIMAL text %s to %s', (text, exact) => {
    expect(exactDecimal(text)).toBe(exact);
  });

  it('gives what canonicalDecimal gives, for any DECIMAL text', () => {
    const digits = (max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: max });
    fc.assert(fc.property(digits(15), digits(20), (integer, fraction) => {
      const text = `${integer.replace(/^0+(?=\d)/, '')}.${fraction}`;
      expect(exactDecimal(text)).toBe(canonicalDecimal(text));
    }));
  });

  it('reads UTC DATETIME text as epoch ms', () => {
    expect(epochMsOfMysqlDateTime('2025-03-04 00:01:00.000')).toBe(Date.UTC(2025, 2, 4, 0, 1));
  });
});
