import { csvLine } from './lake-row';

describe('csvLine', () => {
  it('quotes what needs it, leaves nulls empty and refuses a number that is not finite', () => {
    expect(csvLine([1741046404349, true, null, 'a,b', 'say "hi"', '0.5', ''])).toBe('1741046404349,true,,"a,b","say ""hi""",0.5,""');
    expect(() => csvLine([1, Number.NaN])).toThrow('NaN cannot be written to the lake');
  });
});
