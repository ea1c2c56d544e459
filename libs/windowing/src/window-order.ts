import type { WindowFigures } from './window.types';

/** The order windows are emitted in: by end, then by symbol (code units, as MySQL's binary keys). */
export function byEndThenSymbol(a: WindowFigures, b: WindowFigures): number {
  return a.endMs - b.endMs || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0);
}
