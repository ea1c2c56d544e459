import { baseQuantityOf, DecimalTextSum } from './base-volume';
import { CarriedClose, EmptyWindowFiller, EmptyWindowPolicy } from './empty-windows';
import type { KeptRollup } from './larger-window';
import { byEndThenSymbol, LevelClock, RollupLevel } from './rollup-level';
import { TumblingWindowEngine } from './tumbling-window-engine';
import { windowStartOf } from './window-options';
import { WindowRollup } from './window-rollup';
import type { AddOutcome, ClosedWindow, LatePolicy, SourceProgressEvent, TradeEvent } from './window.types';

export type { KeptRollup } from './larger-window';

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
  readonly partial?: ClosedWindow;
  readonly carried?: CarriedClose;
}

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
  /** `${level} ${symbol}` of the states changed since the last {@link takeStateChanges}. */
  readonly #changed = new Set<string>();
  /**
   * Base volumes (all trades', and the taker buys') of finest windows of inverse contracts, by
   * `${startMs} ${symbol}`: while open, and under `correct` as long as the window may still be
   * corrected.
   */
  readonly #baseVolumes = new Map<string, { readonly startMs: number; readonly sum: DecimalTextSum; readonly takerBuy: DecimalTextSum }>();
  /** How long after its end a finest window keeps its base volume for corrections; −1 under `drop`. */
  readonly #keepBaseVolumeMs: number;
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
    this.#keepBaseVolumeMs = finestOptions.latePolicy === 'correct' ? this.#finest.options.allowedLatenessMs : -1;
    this.#fillers = emptyWindows === 'carry' ? sorted.map((sizeMs) => new EmptyWindowFiller(sizeMs)) : undefined;
    for (const state of restored) this.#restore(state);
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
      const startMs = windowStartOf(event.eventTimeMs, this.sizesMs[0]);
      const key = `${startMs} ${event.symbol}`;
      let entry = this.#baseVolumes.get(key);
      if (entry === undefined) {
        entry = { startMs, sum: new DecimalTextSum(), takerBuy: new DecimalTextSum() };
        this.#baseVolumes.set(key, entry);
      }
      const baseQuantity = baseQuantityOf(event.quantity, event.contractSize, event.price);
      entry.sum.add(baseQuantity);
      if (event.isBuyerMaker === false) entry.takerBuy.add(baseQuantity);
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
  drainClosed(): ClosedWindow[] {
    return this.#drain(this.#finest.drainClosed());
  }

  /**
   * End of input: closes every window of every size, moving the watermark to the end of the
   * last one, so that any later event for them counts as late.
   */
  closeAll(): ClosedWindow[] {
    const finest = this.#finest.closeAll();
    const largest = this.sizesMs[this.sizesMs.length - 1];
    let endMs = this.#finest.watermarkMs;
    if (finest.length > 0) endMs = Math.max(endMs, windowStartOf(finest[finest.length - 1].startMs, largest) + largest);
    for (const level of this.#levels) for (const openEndMs of level.openEnds()) endMs = Math.max(endMs, openEndMs);
    if (Number.isFinite(endMs)) this.#finest.closeWindowsUpTo(endMs);
    return this.#drain(finest, true);
  }

  /** `all`: end of input, every larger window closes, whatever its symbol's source said. */
  #drain(finest: ClosedWindow[], all = false): ClosedWindow[] {
    const watermarkMs = this.#finest.watermarkMs;
    const bySize: ClosedWindow[][] = [this.#baseVolumes.size === 0 ? finest : finest.map((w) => this.#withBaseVolume(w))];
    const clock = this.#levelClock(watermarkMs, all);
    this.#levels.forEach((level, index) => {
      bySize.push(level.drain(bySize[level.fromLevel], clock, (symbol) => this.#changed.add(`${index + 1} ${symbol}`)));
    });
    if (this.#fillers) bySize.forEach((closed, level) => (bySize[level] = this.#carry(level, closed, watermarkMs, clock.settledUntilMs)));
    this.#evictBaseVolumes(watermarkMs);
    return bySize.flat();
  }

  /**
   * Live views of the open windows of every size that took events since the last call (see
   * `TumblingWindowEngine.changedOpenWindows`): a larger window's view is its closed parts
   * merged with the open parts below it. Open finest windows of a symbol that did not change
   * since the last call are not in its larger views until they close (only within grace, at a
   * boundary): the views are a live picture; the closed windows are the record.
   */
  changedOpenWindows(): ClosedWindow[] {
    const finest = this.#finest.changedOpenWindows().map((w) => this.#withBaseVolume(w, false));
    if (this.#levels.length === 0 || finest.length === 0) return finest;
    const views = [...finest];
    const bySymbol = new Map<string, ClosedWindow[]>();
    for (const window of finest) bySymbol.set(window.symbol, [...(bySymbol.get(window.symbol) ?? []), window]);
    for (const [symbol, changed] of bySymbol) {
      changed.sort((a, b) => a.startMs - b.startMs);
      const byLevel: ClosedWindow[][] = [changed];
      this.#levels.forEach((level) => {
        const latest = changed[changed.length - 1];
        const startMs = windowStartOf(latest.startMs, level.sizeMs);
        const open = level.openOf(symbol);
        const view = open !== undefined && open.startMs === startMs && open.eventCount > 0 ? WindowRollup.resume(open.toWindow(0)) : new WindowRollup(symbol, startMs, startMs + level.sizeMs);
        for (const part of byLevel[level.fromLevel]) if (part.startMs >= startMs && part.endMs <= startMs + level.sizeMs) view.add(part);
        const window = view.eventCount > 0 ? [view.toWindow()] : [];
        byLevel.push(window);
        views.push(...window);
      });
    }
    return views;
  }

  /**
   * The states changed since the last call, to store with this moment's progress (watermark and
   * resume position) in one transaction: with them, a restart from that progress rebuilds the
   * open larger windows and the carried closes exactly.
   */
  takeStateChanges(): SizeSymbolState[] {
    const states: SizeSymbolState[] = [];
    for (const key of this.#changed) {
      const at = key.indexOf(' ');
      const level = Number(key.slice(0, at));
      const symbol = key.slice(at + 1);
      const carried = this.#fillers?.[level].get(symbol);
      states.push({
        sizeMs: this.sizesMs[level],
        symbol,
        ...(level === 0 ? {} : { rollups: this.#levels[level - 1].stateOf(symbol) }),
        ...(carried === undefined ? {} : { carried }),
      });
    }
    this.#changed.clear();
    return states;
  }

  #withBaseVolume(window: ClosedWindow, closed = true): ClosedWindow {
    const key = `${window.startMs} ${window.symbol}`;
    const entry = this.#baseVolumes.get(key);
    if (entry === undefined) return window;
    if (closed && this.#keepBaseVolumeMs < 0) this.#baseVolumes.delete(key);
    // Without the sides of all its trades the finest window has no taker-buy volumes at all.
    if (window.takerBuyVolume === undefined) return { ...window, baseVolume: entry.sum.toString() };
    return { ...window, baseVolume: entry.sum.toString(), takerBuyBaseVolume: entry.takerBuy.toString() };
  }

  /** Forgets the base volumes of finest windows that can no longer be corrected. */
  #evictBaseVolumes(watermarkMs: number): void {
    if (this.#keepBaseVolumeMs < 0 || this.#baseVolumes.size === 0) return;
    const sizeMs = this.sizesMs[0];
    for (const [key, { startMs }] of this.#baseVolumes) {
      if (startMs + sizeMs + this.#keepBaseVolumeMs <= watermarkMs) this.#baseVolumes.delete(key);
    }
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

  #carry(level: number, closed: ClosedWindow[], watermarkMs: number, settledUntilMs: number): ClosedWindow[] {
    const filler = this.#fillers![level];
    const onChange = (symbol: string) => this.#changed.add(`${level} ${symbol}`);
    const withEmpty: ClosedWindow[] = [];
    for (const window of closed) withEmpty.push(...filler.record(window, onChange));
    filler.settle(settledUntilMs);
    withEmpty.push(...filler.fillUpTo(watermarkMs, onChange));
    return withEmpty.sort(byEndThenSymbol);
  }

  #restore(state: SizeSymbolState): void {
    const level = this.sizesMs.indexOf(state.sizeMs);
    if (level < 0) return; // a size no longer configured
    if (state.carried !== undefined) this.#fillers?.[level].restore(state.symbol, state.carried);
    if (level === 0) return;
    if (state.rollups !== undefined) {
      this.#levels[level - 1].restore(state.symbol, state.rollups);
      return;
    }
    // Older state: only the open window, its parts merged.
    const partial = state.partial;
    if (partial === undefined || partial.endMs <= this.#finest.watermarkMs) return; // written already
    this.#levels[level - 1].restore(state.symbol, [{ startMs: partial.startMs, frozen: partial, frozenUntilMs: partial.startMs, parts: [], emissions: 0 }]);
  }
}
