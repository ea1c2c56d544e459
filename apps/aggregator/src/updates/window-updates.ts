import type { WindowFigures } from '@cryptostream/windowing';

/** Where the batch runner hands window updates for readers. */
export interface WindowUpdates {
  /** Open windows as they stand (`closed: false`). */
  open(windows: readonly WindowFigures[]): void;
  /** Windows MySQL now holds (`closed: true`). */
  closed(windows: readonly WindowFigures[]): void;
}

export const WINDOW_UPDATES = Symbol('WINDOW_UPDATES');

/** `WINDOW_UPDATES=off`: nothing is published (a bare aggregator, or the benchmark's baseline). */
export const NO_WINDOW_UPDATES: WindowUpdates = Object.freeze({ open: () => undefined, closed: () => undefined });
