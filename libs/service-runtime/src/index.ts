export * from './exit-on-signals';
export * from './retry';
export * from './timeout';
export * from './app-logger';
export * from './run-service';
export * from './readiness-gauge';
export * from './http-request';
