export * from './random-name';
export * from './test-kafka';
export * from './test-mysql';
