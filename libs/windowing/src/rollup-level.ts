import { KeptRollup, LargerWindow } from './larger-window';
import { windowStartOf } from './window-options';
import { byEndThenSymbol } from './window-order';
import type { WindowFigures } from './window.types';

/** What a level needs to know of the finest engine at a drain. */
export interface LevelClock {
  /** Up to where a symbol's windows close now (`TumblingWindowEngine.closingBoundOf`). */
  closingBoundOf(symbol: string): number;
  /** No symbol's closing bound is beyond it: lets a drain skip the scan of open windows. */
  readonly maxClosingBoundMs: number;
  /** Parts ending at or before it can no longer be corrected (written watermark − allowed lateness). */
  readonly settledUntilMs: number;
}

/**
 * One larger size, rolled up from the closed windows of a smaller one (its parts). Per symbol it
 * keeps the open window and the written ones whose parts may still be corrected, by start: a
 * revised part (or a part that came late into a written window) re-emits its window with
 * revision + 1, exactly.
 */
export class RollupLevel {
  readonly #bySymbol = new Map<string, LargerWindow[]>();
  /** No open window ends before it: drains before then need not look at the open windows. */
  #openUntilMs = Number.POSITIVE_INFINITY;
  /** No kept part or written window settles before it: housekeeping waits until then. */
  #settlesAtMs = Number.POSITIVE_INFINITY;

  constructor(
    readonly sizeMs: number,
    /** Index of the level whose closed windows tile this one's. */
    readonly fromLevel: number,
  ) {}

  /** The open window of a symbol, if any. */
  openOf(symbol: string): LargerWindow | undefined {
    const windows = this.#bySymbol.get(symbol);
    const last = windows?.[windows.length - 1];
    return last !== undefined && last.emissions === 0 ? last : undefined;
  }

  /** Ends of the open windows (for closing everything at the end of input). */
  *openEnds(): IterableIterator<number> {
    for (const windows of this.#bySymbol.values()) for (const window of windows) if (window.emissions === 0) yield window.endMs;
  }

  /**
   * Takes the closed parts of one drain (any order, revisions included) and returns this level's
   * windows that closed or were revised, by (endMs, symbol). `onChange` hears of each symbol
   * whose kept state changed.
   */
  drain(parts: readonly WindowFigures[], clock: LevelClock, onChange: (symbol: string) => void): WindowFigures[] {
    const touched = new Set<LargerWindow>();
    for (const part of parts) {
      if (part.eventCount === 0) continue; // an empty (carried) window adds nothing
      const window = this.#windowOf(part.symbol, windowStartOf(part.startMs, this.sizeMs));
      if (!window.put(part)) continue;
      touched.add(window);
      onChange(part.symbol);
      if (part.endMs < this.#settlesAtMs) this.#settlesAtMs = part.endMs;
    }
    const emitted: WindowFigures[] = [];
    for (const window of touched) {
      if (window.emissions > 0 && window.changed) emitted.push(window.emit());
      else if (window.emissions === 0 && this.#closes(window, clock)) emitted.push(this.#firstEmit(window));
    }
    if (this.#openUntilMs <= clock.maxClosingBoundMs) this.#closeOpen(clock, emitted, onChange);
    if (this.#settlesAtMs <= clock.settledUntilMs) this.#settle(clock.settledUntilMs, onChange);
    return emitted.sort(byEndThenSymbol);
  }

  /** The kept windows of a symbol, for the stored state. */
  stateOf(symbol: string): KeptRollup[] {
    return (this.#bySymbol.get(symbol) ?? []).map((window) => window.toState());
  }

  restore(symbol: string, kept: readonly KeptRollup[]): void {
    const windows = kept.map((state) => LargerWindow.fromState(symbol, this.sizeMs, state)).sort((a, b) => a.startMs - b.startMs);
    if (windows.length === 0) return;
    this.#bySymbol.set(symbol, windows);
    for (const window of windows) this.#noteKept(window);
  }

  /** A window written before or still open, or a new one (in start order). */
  #windowOf(symbol: string, startMs: number): LargerWindow {
    let windows = this.#bySymbol.get(symbol);
    if (windows === undefined) {
      windows = [];
      this.#bySymbol.set(symbol, windows);
    }
    let at = windows.length;
    while (at > 0 && windows[at - 1].startMs > startMs) at--;
    if (at > 0 && windows[at - 1].startMs === startMs) return windows[at - 1];
    const window = new LargerWindow(symbol, startMs, startMs + this.sizeMs);
    windows.splice(at, 0, window);
    this.#noteKept(window);
    return window;
  }

  #noteKept(window: LargerWindow): void {
    if (window.emissions === 0 && window.endMs < this.#openUntilMs) this.#openUntilMs = window.endMs;
    const settlesMs = window.earliestPartEndMs ?? window.endMs;
    if (settlesMs < this.#settlesAtMs) this.#settlesAtMs = settlesMs;
  }

  /** An open window closes when its symbol's bound reaches its end, or a later window of it has parts (parts come in time order). */
  #closes(window: LargerWindow, clock: LevelClock): boolean {
    if (window.endMs <= clock.closingBoundOf(window.symbol)) return true;
    const windows = this.#bySymbol.get(window.symbol)!;
    return windows[windows.length - 1] !== window;
  }

  #closeOpen(clock: LevelClock, emitted: WindowFigures[], onChange: (symbol: string) => void): void {
    let openUntilMs = Number.POSITIVE_INFINITY;
    for (const windows of this.#bySymbol.values()) {
      for (const window of windows) {
        if (window.emissions > 0) continue;
        if (this.#closes(window, clock)) {
          emitted.push(this.#firstEmit(window));
          onChange(window.symbol);
        } else if (window.endMs < openUntilMs) openUntilMs = window.endMs;
      }
    }
    this.#openUntilMs = openUntilMs;
  }

  /** A written window is kept until it settles at its end (its parts may be settled already). */
  #firstEmit(window: LargerWindow): WindowFigures {
    if (window.endMs < this.#settlesAtMs) this.#settlesAtMs = window.endMs;
    return window.emit();
  }

  /** Freezes the parts that can no longer change and forgets the written windows that cannot. */
  #settle(settledUntilMs: number, onChange: (symbol: string) => void): void {
    let settlesAtMs = Number.POSITIVE_INFINITY;
    for (const [symbol, windows] of this.#bySymbol) {
      const before = windows.length;
      const kept = windows.filter((window) => window.emissions === 0 || window.endMs > settledUntilMs);
      for (const window of kept) {
        const earliest = window.earliestPartEndMs;
        if (earliest !== undefined && earliest <= settledUntilMs) {
          window.freezeUntil(settledUntilMs);
          onChange(symbol);
        }
        const next = window.earliestPartEndMs ?? (window.emissions > 0 ? window.endMs : undefined);
        if (next !== undefined && next < settlesAtMs) settlesAtMs = next;
      }
      if (kept.length === 0) this.#bySymbol.delete(symbol);
      else if (kept.length !== before) this.#bySymbol.set(symbol, kept);
      if (kept.length !== before) onChange(symbol);
    }
    this.#settlesAtMs = settlesAtMs;
  }
}

// The multi-size engine sorts with it too.
export { byEndThenSymbol };
