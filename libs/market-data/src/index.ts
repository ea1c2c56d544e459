export * from './market-trade';
export * from './binance-payloads';
export * from './trade-file-reader';
export * from './price-message-of-trade';
