export * from './window.types';
