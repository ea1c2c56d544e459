import type { RollupLevel } from './rollup-level';
import { windowStartOf } from './window-options';
import { WindowRollup } from './window-rollup';
import type { WindowFigures } from './window.types';

/**
 * Live views of the open windows of every size, from the finest open windows that changed: a
 * larger window's view is its closed parts (kept by its {@link RollupLevel}) merged with the
 * changed open parts below it. Open finest windows of a symbol that did not change are not in
 * its larger views until they close (only within grace, at a boundary): the views are a live
 * picture; the closed windows are the record. Returns the finest views first, then per symbol
 * its larger ones, smallest size first.
 */
export function openWindowViews(finest: WindowFigures[], levels: readonly RollupLevel[]): WindowFigures[] {
  if (levels.length === 0 || finest.length === 0) return finest;
  const views = [...finest];
  const bySymbol = new Map<string, WindowFigures[]>();
  for (const window of finest) bySymbol.set(window.symbol, [...(bySymbol.get(window.symbol) ?? []), window]);
  for (const [symbol, changed] of bySymbol) {
    changed.sort((a, b) => a.startMs - b.startMs);
    const byLevel: WindowFigures[][] = [changed];
    for (const level of levels) {
      const latest = changed[changed.length - 1];
      const startMs = windowStartOf(latest.startMs, level.sizeMs);
      const open = level.openOf(symbol);
      const view = open !== undefined && open.startMs === startMs && open.eventCount > 0 ? WindowRollup.resume(open.toWindow(0)) : new WindowRollup(symbol, startMs, startMs + level.sizeMs);
      for (const part of byLevel[level.fromLevel]) if (part.startMs >= startMs && part.endMs <= startMs + level.sizeMs) view.add(part);
      const window = view.eventCount > 0 ? [view.toWindow()] : [];
      byLevel.push(window);
      views.push(...window);
    }
  }
  return views;
}
