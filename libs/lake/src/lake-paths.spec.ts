import { hivePath, isLakeFileName, lakeFilePath, stagingPathOf, temporaryPathOf } from './lake-paths';

describe('lake paths', () => {
  it('names a file by dataset, Hive directories, topic partition, offsets and writer', () => {
    const dir = hivePath({ market: 'linear', symbol: 'BTCUSDT', date: '2025-03-04' });
    expect(lakeFilePath('trades', dir, { topic: 'crypto_prices', partition: 2, firstOffset: 10, lastOffset: 99 }, 'ab12')).toBe(
      'trades/market=linear/symbol=BTCUSDT/date=2025-03-04/crypto_prices-2-10-99-ab12.parquet',
    );
  });

  it('writes the temporary file beside the final one, under a name readers and globs skip', () => {
    expect(temporaryPathOf('/lake/trades/date=2025-03-04/a.parquet')).toBe('/lake/trades/date=2025-03-04/.a.parquet.tmp');
    expect([isLakeFileName('a.parquet'), isLakeFileName('.a.parquet.tmp'), isLakeFileName('notes.txt')]).toEqual([true, true, false]);
  });

  it('stages the rows of a file being written under a lake name, so a start after a crash removes them', () => {
    const staged = stagingPathOf(temporaryPathOf('/lake/trades/date=2025-03-04/a.parquet'));
    expect(staged).toBe('/lake/trades/date=2025-03-04/.a.parquet.tmp.csv');
    expect([isLakeFileName('.a.parquet.tmp.csv'), isLakeFileName('a.csv'), isLakeFileName('.a.csv')]).toEqual([true, false, false]);
  });

  it('refuses a value that could leave its directory', () => {
    expect(() => hivePath({ symbol: '../etc' })).toThrow('cannot be a lake directory name');
  });
});
