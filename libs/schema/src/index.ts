export * from './topics';
export * from './decimal-string';
export * from './price-message.dto';
export * from './parse-price-message';
export * from './dead-letter';
export * from './errors';
export * from './source-progress';
export * from './window-update';
