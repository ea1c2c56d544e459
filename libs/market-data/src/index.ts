export * from './market-trade';
export * from './binance-payloads';
export * from './trade-file-reader';
export * from './trade-file-layout';
export * from './archive-csv';
export * from './time-unit';
export * from './zip-entries';
export * from './price-message-of-trade';
