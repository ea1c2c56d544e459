export * from './random-name';
export * from './wait-for';
export * from './test-kafka';
export * from './test-mysql';
export * from './recordings';
export * from './synthetic-trades';
export * from './produce-messages';
export * from './topic-reader';
export * from './private-mariadb';
export * from './private-kafka';
// The launcher is the user tools' too (npm run demo, live): its own library, re-exported for the tests.
export * from '@cryptostream/app-launcher';
export { sleep } from '@cryptostream/service-runtime';
export * from './private-prometheus';
export * from './test-registry';
export * from './secure-kafka';
export * from './chromium';
