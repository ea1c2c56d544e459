import { CANDLES, exactDecimalType, TRADES } from './lake-datasets';

describe('lake datasets', () => {
  it('types every price and quantity as the DECIMAL that holds the schema\'s 15 integer and 12 fraction digits', () => {
    const types = Object.fromEntries(TRADES.columns.map((column) => [column.name, column.fileType]));
    expect(types).toMatchObject({ price: 'DECIMAL(27,12)', quantity: 'DECIMAL(27,12)', contract_size: 'DECIMAL(27,12)', event_time: 'TIMESTAMP_MS', trade_id: 'BIGINT' });
  });

  it('keeps a sum wider than 38 digits as its exact string, never a float', () => {
    expect(exactDecimalType(25, 12)).toBe('DECIMAL(37,12)');
    expect(exactDecimalType(40, 24)).toBe('VARCHAR');
    const types = CANDLES.columns.map((column) => column.fileType);
    expect(types.some((type) => /FLOAT|DOUBLE|REAL/.test(type))).toBe(false);
    expect(Object.fromEntries(CANDLES.columns.map((c) => [c.name, c.fileType]))).toMatchObject({ volume: 'DECIMAL(37,12)', quote_volume: 'VARCHAR' });
  });
});
