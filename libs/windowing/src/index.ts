export * from './window.types';
export * from './tumbling-window-engine';
export { resolveWindowOptions, windowStartOf } from './window-options';
export type { ResolvedWindowOptions } from './window-options';
export { AVERAGE_PLACES } from './window-accumulator';
export * from './kline-interval';
export * from './empty-windows';
export * from './multi-size-window-engine';
export { WindowRollup } from './window-rollup';
