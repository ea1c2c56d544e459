export * from './mysql-url';
export * from './mysql-pool';
export * from './migrate';
export * from './migrations';
export * from './window-row';
export * from './partition-progress';
export * from './window.repository';
export * from './window-state';
