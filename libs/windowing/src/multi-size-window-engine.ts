import { CoinMBaseVolumes } from './coin-m-base-volumes';
import { EmptyWindowFiller, EmptyWindowPolicy } from './empty-windows';
import { ChangedStates, MultiSizeParts, restoreState, SizeSymbolState } from './multi-size-state';
import { openWindowViews } from './open-window-views';
import { byEndThenSymbol, LevelClock, RollupLevel } from './rollup-level';
import { TumblingWindowEngine } from './tumbling-window-engine';
import { windowStartOf } from './window-options';
import type { AddOutcome, WindowFigures, LatePolicy, SourceProgressEvent, TradeEvent } from './window.types';

export type { KeptRollup } from './larger-window';
export type { SizeSymbolState } from './multi-size-state';

export interface MultiSizeWindowEngineOptions {
  /** Window sizes in ms; the smallest must divide every other (see `parseWindowSizes`). */
  readonly sizesMs: readonly number[];
  readonly graceMs?: number;
  readonly initialWatermarkMs?: number;
  readonly emptyWindows?: EmptyWindowPolicy;
  /** State stored with the progress of `initialWatermarkMs` (see {@link takeStateChanges}). */
  readonly restored?: readonly SizeSymbolState[];
  /**
   * Late events of the finest size (see `TumblingWindowEngine`): under `correct`, a late trade
   * revises its finest window and every larger window holding it (revision + 1 at each size).
   */
  readonly latePolicy?: LatePolicy;
  readonly allowedLatenessMs?: number;
  /** See `WindowEngineOptions.sourceTimeoutMs` and `replayUntilSequence`. */
  readonly sourceTimeoutMs?: number;
  readonly replayUntilSequence?: number;
}

/**
 * Windows of several sizes at once (1m, 5m, 15m, 1h, 4h, 1d, …) from one stream, each exactly
 * what a {@link TumblingWindowEngine} of that size alone gives for events within grace.
 *
 * Only the finest size sees events. Each larger size is rolled up from the closed windows of the
 * largest smaller size that divides it (1d from 4h, 4h from 1h, …), with the exact Σ price, so
 * the mean stays the mean of all prices. There is one watermark, the finest engine's: a larger
 * window closes when it reaches its end, and an event whose finest window has closed is late for
 * every size. So the oldest position still needed after a crash is the finest engine's
 * ({@link oldestOpenSequence}), whatever the sizes: a restart replays at most a finest window
 * plus grace, and takes the larger windows' closed parts from {@link takeStateChanges}, stored
 * with the progress, instead of a day of events.
 *
 * The pieces beside the roll-up: COIN-M base volumes ({@link CoinMBaseVolumes}), live views of
 * the open windows ({@link openWindowViews}), and the state a restart needs
 * ({@link ChangedStates}, {@link restoreState}).
 *
 * Late events: under `drop` they are left out of every size. Under `correct` (see
 * `TumblingWindowEngine`) a late trade revises its finest window (revision + 1, base volume
 * included) within `allowedLatenessMs`, and the revision cascades up: each larger size keeps
 * the parts of its written windows for as long as they may still be corrected (part end +
 * allowedLatenessMs after the written watermark), re-merges a window whose part changed and
 * emits it again (revision + 1), so every size stays exactly the engine of that size alone over
 * all trades accepted. A late trade into a larger window never written (no trades, or only
 * carried empty rows) writes it then. The kept parts go into {@link takeStateChanges}, so a
 * restart corrects exactly as well, once: a replayed late trade is folded back in the finest
 * engine and emits nothing.
 */
export class MultiSizeWindowEngine {
  readonly sizesMs: readonly number[];
  readonly #finest: TumblingWindowEngine;
  readonly #levels: RollupLevel[] = [];
  readonly #fillers: EmptyWindowFiller[] | undefined;
  /** The states changed since the last {@link takeStateChanges}. */
  readonly #changed: ChangedStates;
  readonly #baseVolumes: CoinMBaseVolumes;
  /** Newest completeUpToMs any source reported: with the watermark, a bound on every symbol's closing bound. */
  #maxSourceBoundMs = Number.NEGATIVE_INFINITY;
  /** Parts ending at or before it can no longer be corrected (see {@link #levelClock}). */
  #settledUntilMs = Number.NEGATIVE_INFINITY;

  constructor({ sizesMs, graceMs = 0, initialWatermarkMs, emptyWindows = 'skip', restored = [], ...finestOptions }: MultiSizeWindowEngineOptions) {
    const sorted = [...new Set(sizesMs)].sort((a, b) => a - b);
    if (sorted.length === 0) throw new Error('sizesMs must list at least one window size');
    for (const size of sorted) {
      if (size % sorted[0] !== 0) throw new Error(`window size ${size} ms is not a whole number of the smallest size, ${sorted[0]} ms`);
    }
    this.sizesMs = sorted;
    this.#finest = new TumblingWindowEngine({ windowSizeMs: sorted[0], graceMs, initialWatermarkMs, latePolicy: 'drop', ...finestOptions, exactPriceSum: true });
    sorted.forEach((sizeMs, level) => {
      if (level === 0) return;
      let fromLevel = level - 1;
      while (sizeMs % sorted[fromLevel] !== 0) fromLevel--;
      this.#levels.push(new RollupLevel(sizeMs, fromLevel));
    });
    this.#baseVolumes = new CoinMBaseVolumes(sorted[0], finestOptions.latePolicy === 'correct' ? this.#finest.options.allowedLatenessMs : -1);
    this.#fillers = emptyWindows === 'carry' ? sorted.map((sizeMs) => new EmptyWindowFiller(sizeMs)) : undefined;
    const parts: MultiSizeParts = { sizesMs: sorted, levels: this.#levels, fillers: this.#fillers };
    this.#changed = new ChangedStates(parts);
    for (const state of restored) restoreState(parts, state, this.#finest.watermarkMs);
  }

  get watermarkMs(): number {
    return this.#finest.watermarkMs;
  }

  /** Finest windows holding events; larger windows being rolled up are not counted. */
  get openWindowCount(): number {
    return this.#finest.openWindowCount;
  }

  /**
   * Adds an event to its finest window; see `TumblingWindowEngine.add`. An event with a
   * `contractSize` (COIN-M) adds its base quantity to the window's base volume, and to its taker
   * buy base volume when the buyer took.
   */
  add(event: TradeEvent): AddOutcome {
    const outcome = this.#finest.add(event);
    if (event.contractSize !== undefined && (outcome.kind === 'accepted' || (outcome.kind === 'late' && outcome.corrected))) {
      this.#baseVolumes.add(event as TradeEvent & { readonly contractSize: string });
    }
    return outcome;
  }

  advanceTo(processingTimeMs: number): void {
    this.#finest.advanceTo(processingTimeMs);
  }

  /** See `TumblingWindowEngine.observeSourceProgress`: a symbol's larger windows wait with its finest ones. */
  observeSourceProgress(progress: SourceProgressEvent): void {
    this.#finest.observeSourceProgress(progress);
    if (progress.completeUpToMs > this.#maxSourceBoundMs) this.#maxSourceBoundMs = progress.completeUpToMs;
  }

  /** See `TumblingWindowEngine.writtenWatermarkMs`. */
  get writtenWatermarkMs(): number {
    return this.#finest.writtenWatermarkMs;
  }

  /** See `TumblingWindowEngine.closedWithoutSourceCount` (finest windows). */
  get closedWithoutSourceCount(): number {
    return this.#finest.closedWithoutSourceCount;
  }

  /** See `TumblingWindowEngine.duplicateCount`. */
  get duplicateCount(): number {
    return this.#finest.duplicateCount;
  }

  /** See `TumblingWindowEngine.oldestOpenSequence`: the finest size's is every size's. */
  oldestOpenSequence(): number | undefined {
    return this.#finest.oldestOpenSequence();
  }

  /**
   * Every window of every size whose end ≤ the watermark, smallest size first, each size by
   * (endMs, symbol); under `carry` with the empty windows of that size among them.
   */
  drainClosed(): WindowFigures[] {
    return this.#drain(this.#finest.drainClosed());
  }

  /**
   * End of input: closes every window of every size, moving the watermark to the end of the
   * last one, so that any later event for them counts as late.
   */
  closeAll(): WindowFigures[] {
    const finest = this.#finest.closeAll();
    const largest = this.sizesMs[this.sizesMs.length - 1];
    let endMs = this.#finest.watermarkMs;
    if (finest.length > 0) endMs = Math.max(endMs, windowStartOf(finest[finest.length - 1].startMs, largest) + largest);
    for (const level of this.#levels) for (const openEndMs of level.openEnds()) endMs = Math.max(endMs, openEndMs);
    if (Number.isFinite(endMs)) this.#finest.closeWindowsUpTo(endMs);
    return this.#drain(finest, true);
  }

  /** `all`: end of input, every larger window closes, whatever its symbol's source said. */
  #drain(finest: WindowFigures[], all = false): WindowFigures[] {
    const watermarkMs = this.#finest.watermarkMs;
    const baseVolumes = this.#baseVolumes;
    const bySize: WindowFigures[][] = [baseVolumes.isEmpty ? finest : finest.map((w) => baseVolumes.withBaseVolume(w))];
    const clock = this.#levelClock(watermarkMs, all);
    this.#levels.forEach((level, index) => {
      bySize.push(level.drain(bySize[level.fromLevel], clock, (symbol) => this.#changed.mark(index + 1, symbol)));
    });
    if (this.#fillers) bySize.forEach((closed, level) => (bySize[level] = this.#carry(level, closed, watermarkMs, clock.settledUntilMs)));
    baseVolumes.evict(watermarkMs);
    return bySize.flat();
  }

  /**
   * Live views of the open windows of every size that took events since the last call (see
   * `TumblingWindowEngine.changedOpenWindows` and {@link openWindowViews}).
   */
  changedOpenWindows(): WindowFigures[] {
    const finest = this.#finest.changedOpenWindows();
    const baseVolumes = this.#baseVolumes;
    return openWindowViews(baseVolumes.isEmpty ? finest : finest.map((w) => baseVolumes.withBaseVolume(w, false)), this.#levels);
  }

  /**
   * The states changed since the last call, to store with this moment's progress (watermark and
   * resume position) in one transaction: with them, a restart from that progress rebuilds the
   * open larger windows and the carried closes exactly.
   */
  takeStateChanges(): SizeSymbolState[] {
    return this.#changed.take();
  }

  /**
   * What the levels need of the finest engine at this drain. Parts settle (can no longer be
   * corrected) once they ended allowedLatenessMs before the written watermark, the rule by which
   * the finest engine turns late trades away; under `drop` nothing is corrected after writing.
   */
  #levelClock(watermarkMs: number, all: boolean): LevelClock {
    const finest = this.#finest;
    const { latePolicy, allowedLatenessMs, initialWatermarkMs } = finest.options;
    // Monotone: the written watermark steps back when a held symbol opens a window behind it.
    const settledMs = latePolicy === 'correct' ? finest.writtenWatermarkMs - allowedLatenessMs : finest.writtenWatermarkMs;
    if (settledMs > this.#settledUntilMs) this.#settledUntilMs = settledMs;
    if (all) return { closingBoundOf: () => Number.POSITIVE_INFINITY, maxClosingBoundMs: Number.POSITIVE_INFINITY, settledUntilMs: this.#settledUntilMs };
    return {
      closingBoundOf: (symbol) => finest.closingBoundOf(symbol),
      maxClosingBoundMs: Math.max(watermarkMs, initialWatermarkMs, this.#maxSourceBoundMs),
      settledUntilMs: this.#settledUntilMs,
    };
  }

  #carry(level: number, closed: WindowFigures[], watermarkMs: number, settledUntilMs: number): WindowFigures[] {
    const filler = this.#fillers![level];
    const onChange = (symbol: string) => this.#changed.mark(level, symbol);
    const withEmpty: WindowFigures[] = [];
    for (const window of closed) withEmpty.push(...filler.record(window, onChange));
    filler.settle(settledUntilMs);
    withEmpty.push(...filler.fillUpTo(watermarkMs, onChange));
    return withEmpty.sort(byEndThenSymbol);
  }
}
