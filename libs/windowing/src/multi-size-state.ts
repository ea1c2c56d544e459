import type { CarriedClose, EmptyWindowFiller } from './empty-windows';
import type { KeptRollup } from './larger-window';
import type { RollupLevel } from './rollup-level';
import type { WindowFigures } from './window.types';

/**
 * What a restart needs to carry on with one symbol at one size, besides replaying the finest
 * windows' events: the larger windows kept (the open one and, under `correct`, the written ones
 * whose parts may still be corrected: their parts, the settled ones merged, with the exact Σ
 * price) and, under `carry`, the end and close of the symbol's last written window.
 */
export interface SizeSymbolState {
  readonly sizeMs: number;
  readonly symbol: string;
  /** The kept larger windows; absent at the finest size. */
  readonly rollups?: readonly KeptRollup[];
  /**
   * Older state (before rollups were kept): the open larger window as merged so far. Read on
   * restore, no longer written.
   */
  readonly partial?: WindowFigures;
  readonly carried?: CarriedClose;
}

/** The parts of a multi-size engine that hold state: level 0 is the finest size, level n the rolled-up `levels[n - 1]`. */
export interface MultiSizeParts {
  readonly sizesMs: readonly number[];
  readonly levels: readonly RollupLevel[];
  /** Under `carry`, one per size. */
  readonly fillers: readonly EmptyWindowFiller[] | undefined;
}

/**
 * The (size, symbol) states that changed since the last {@link take}: saved with the progress of
 * that moment (watermark and resume position) in one transaction, they let a restart from that
 * progress rebuild the open larger windows and the carried closes exactly.
 */
export class ChangedStates {
  /** `${level} ${symbol}`. */
  readonly #changed = new Set<string>();

  constructor(private readonly parts: MultiSizeParts) {}

  mark(level: number, symbol: string): void {
    this.#changed.add(`${level} ${symbol}`);
  }

  take(): SizeSymbolState[] {
    const { sizesMs, levels, fillers } = this.parts;
    const states: SizeSymbolState[] = [];
    for (const key of this.#changed) {
      const at = key.indexOf(' ');
      const level = Number(key.slice(0, at));
      const symbol = key.slice(at + 1);
      const carried = fillers?.[level].get(symbol);
      states.push({
        sizeMs: sizesMs[level],
        symbol,
        ...(level === 0 ? {} : { rollups: levels[level - 1].stateOf(symbol) }),
        ...(carried === undefined ? {} : { carried }),
      });
    }
    this.#changed.clear();
    return states;
  }
}

/** Puts a saved state back into the engine's parts; `watermarkMs` is the finest engine's, restored with the progress. */
export function restoreState({ sizesMs, levels, fillers }: MultiSizeParts, state: SizeSymbolState, watermarkMs: number): void {
  const level = sizesMs.indexOf(state.sizeMs);
  if (level < 0) return; // a size no longer configured
  if (state.carried !== undefined) fillers?.[level].restore(state.symbol, state.carried);
  if (level === 0) return;
  if (state.rollups !== undefined) {
    levels[level - 1].restore(state.symbol, state.rollups);
    return;
  }
  // Older state: only the open window, its parts merged.
  const partial = state.partial;
  if (partial === undefined || partial.endMs <= watermarkMs) return; // written already
  levels[level - 1].restore(state.symbol, [{ startMs: partial.startMs, frozen: partial, frozenUntilMs: partial.startMs, parts: [], emissions: 0 }]);
}
