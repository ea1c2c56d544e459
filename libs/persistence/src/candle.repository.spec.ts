import { epochMsOfMysqlDateTime } from './candle.repository';

describe('reading candle rows', () => {
  it('reads UTC DATETIME text as epoch ms', () => {
    expect(epochMsOfMysqlDateTime('2025-03-04 00:01:00.000')).toBe(Date.UTC(2025, 2, 4, 0, 1));
  });
});
