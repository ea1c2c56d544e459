import fc from 'fast-check';
import { canonicalDecimal } from './decimal-string';

describe('canonicalDecimal', () => {
  it.each([
    ['0.2308000000', '0.2308'], ['12.0000000000', '12'], ['100.5000', '100.5'], ['0.0000000000', '0'], ['100', '100'], ['0.00000001', '0.00000001'], ['-100.500', '-100.5'],
  ])('strips the padding of DECIMAL text %s to %s', (text, exact) => {
    expect(canonicalDecimal(text)).toBe(exact);
  });

  it('drops exactly the fraction zeros that carry no value, for any DECIMAL text', () => {
    const digits = (max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: max });
    fc.assert(fc.property(fc.boolean(), digits(15), digits(20), (negative, integer, fraction) => {
      const whole = `${negative ? '-' : ''}${integer.replace(/^0+(?=\d)/, '')}`;
      const kept = fraction.replace(/0+$/, '');
      expect(canonicalDecimal(`${whole}.${fraction}`)).toBe(kept === '' ? whole : `${whole}.${kept}`);
    }));
  });
});
