import { loadArchiverConfig } from './archiver.config';

describe('archiver settings', () => {
  it('defaults to its own group, the three topics and .local/lake', () => {
    const config = loadArchiverConfig({});
    expect(config).toMatchObject({ kafkaGroupId: 'cryptostream-archiver', pricesTopic: 'crypto_prices', deadLetterTopic: 'crypto_prices.dlq', windowUpdatesTopic: 'crypto_windows', httpPort: 3003 });
    expect(config.lakeDir).toMatch(/\/\.local\/lake$/);
    expect(config.faultPoint).toBeUndefined();
  });

  it('stops start-up naming the setting that is wrong', () => {
    expect(() => loadArchiverConfig({ LAKE_ROLL_ROWS: '1e5' })).toThrow('LAKE_ROLL_ROWS');
    expect(() => loadArchiverConfig({ ARCHIVER_FAULT_POINT: 'sometimes' })).toThrow('ARCHIVER_FAULT_POINT: must be one of after-temporary-write, after-rename, after-commit');
  });
});
