export * from './exit-on-signals';
