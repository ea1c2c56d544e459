export * from './random-name';
export * from './test-kafka';
export * from './test-mysql';
export * from './synthetic-trades';
export * from './produce-messages';
export * from './private-mariadb';
export * from './private-kafka';
export * from './app-process';
