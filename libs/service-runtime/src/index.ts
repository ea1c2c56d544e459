export * from './exit-on-signals';
export * from './retry';
export * from './timeout';
