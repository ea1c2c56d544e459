export * from './settings-reader';
export * from './shared-settings';
export * from './app-config.module';
export * from './kafka-security-settings';
export * from './window-sizes';
