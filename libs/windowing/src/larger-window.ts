import { WindowRollup } from './window-rollup';
import type { WindowFigures } from './window.types';

/**
 * A larger window of one symbol as the multi-size engine keeps it (and stores it in its state):
 * while open, and once written for as long as one of its parts may still be corrected.
 */
export interface KeptRollup {
  readonly startMs: number;
  /** Its parts that can no longer change, merged (with the exact Σ price); absent when none. */
  readonly frozen?: WindowFigures;
  /** End of the last part merged into `frozen`. */
  readonly frozenUntilMs: number;
  /** The parts that may still be corrected, by start. */
  readonly parts: readonly WindowFigures[];
  /** Times written so far: 0 while open; the next emission's revision. */
  readonly emissions: number;
}

/**
 * One larger window [startMs, endMs) built from its parts (closed windows of a smaller size),
 * able to take a revised part: the parts that may still change are kept apart, the others merged
 * once (`freezeUntil`), so a revision re-merges only the recent parts. Merging is exact and
 * associative (see {@link WindowRollup}).
 */
export class LargerWindow {
  #frozen: WindowFigures | undefined;
  #frozenUntilMs: number;
  #parts: WindowFigures[] = [];
  /** frozen + parts merged; undefined after a part was replaced or inserted (rebuilt on demand). */
  #merged: WindowRollup | undefined;
  emissions = 0;
  /** Parts changed since the last emission. */
  changed = false;

  constructor(
    readonly symbol: string,
    readonly startMs: number,
    readonly endMs: number,
  ) {
    this.#frozenUntilMs = startMs;
  }

  static fromState(symbol: string, sizeMs: number, kept: KeptRollup): LargerWindow {
    const window = new LargerWindow(symbol, kept.startMs, kept.startMs + sizeMs);
    window.#frozen = kept.frozen;
    window.#frozenUntilMs = kept.frozenUntilMs;
    window.#parts = [...kept.parts];
    window.emissions = kept.emissions;
    return window;
  }

  toState(): KeptRollup {
    return { startMs: this.startMs, ...(this.#frozen === undefined ? {} : { frozen: this.#frozen }), frozenUntilMs: this.#frozenUntilMs, parts: [...this.#parts], emissions: this.emissions };
  }

  get eventCount(): number {
    return this.#rollup().eventCount;
  }

  /** End of the earliest part not frozen yet, or undefined when every part is. */
  get earliestPartEndMs(): number | undefined {
    return this.#parts[0]?.endMs;
  }

  /**
   * Adds a part, or replaces the part with the same start (a revision, or the same window again
   * after a restart). Returns false when nothing changed (the same content again) or the part
   * lies in the frozen span, which the engine's lateness rule rules out.
   */
  put(part: WindowFigures): boolean {
    if (part.startMs < this.#frozenUntilMs) return false;
    const parts = this.#parts;
    let at = parts.length;
    while (at > 0 && parts[at - 1].startMs > part.startMs) at--;
    const same = at > 0 && parts[at - 1].startMs === part.startMs;
    if (same && sameFigures(parts[at - 1], part)) return false;
    if (same) {
      parts[at - 1] = part;
      this.#merged = undefined;
    } else {
      parts.splice(at, 0, part);
      if (at === parts.length - 1) this.#merged?.add(part);
      else this.#merged = undefined;
    }
    this.changed = true;
    return true;
  }

  /** Merges the parts ending at or before `untilMs` (they can no longer change) into the frozen state. */
  freezeUntil(untilMs: number): void {
    const parts = this.#parts;
    let count = 0;
    while (count < parts.length && parts[count].endMs <= untilMs) count++;
    if (count === 0) return;
    const rollup = this.#frozen === undefined ? new WindowRollup(this.symbol, this.startMs, this.endMs) : WindowRollup.resume(this.#frozen);
    for (const part of parts.slice(0, count)) rollup.add(part);
    this.#frozen = rollup.toWindow();
    this.#frozenUntilMs = parts[count - 1].endMs;
    this.#parts = parts.slice(count);
  }

  /** The window as it stands, with the given revision. */
  toWindow(revision: number): WindowFigures {
    const window = this.#rollup().toWindow();
    return revision === 0 ? window : { ...window, revision };
  }

  /** Emits the window (revision = emissions so far) and counts the emission. */
  emit(): WindowFigures {
    this.changed = false;
    return this.toWindow(this.emissions++);
  }

  #rollup(): WindowRollup {
    if (this.#merged === undefined) {
      this.#merged = this.#frozen === undefined ? new WindowRollup(this.symbol, this.startMs, this.endMs) : WindowRollup.resume(this.#frozen);
      for (const part of this.#parts) this.#merged.add(part);
    }
    return this.#merged;
  }
}

/** Same figures (a part re-emitted unchanged, e.g. after a restart); revisions do not matter. */
function sameFigures(a: WindowFigures, b: WindowFigures): boolean {
  return a.eventCount === b.eventCount && a.priceSum === b.priceSum && a.volume === b.volume && a.quoteVolume === b.quoteVolume &&
    a.open === b.open && a.close === b.close && a.high === b.high && a.low === b.low && a.tradeCount === b.tradeCount && a.baseVolume === b.baseVolume &&
    a.takerBuyVolume === b.takerBuyVolume && a.takerBuyQuoteVolume === b.takerBuyQuoteVolume && a.takerBuyBaseVolume === b.takerBuyBaseVolume;
}
