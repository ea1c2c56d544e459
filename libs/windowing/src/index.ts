export * from './window.types';
export * from './tumbling-window-engine';
export { resolveWindowOptions, windowStartOf } from './window-options';
export type { ResolvedWindowOptions } from './window-options';
export { AVERAGE_PLACES } from './window-accumulator';
