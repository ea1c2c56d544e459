import { baseQuantityOf, DecimalTextSum } from './base-volume';
import { CarriedClose, EmptyWindowFiller, EmptyWindowPolicy } from './empty-windows';
import { TumblingWindowEngine } from './tumbling-window-engine';
import { windowStartOf } from './window-options';
import { WindowRollup } from './window-rollup';
import type { AddOutcome, ClosedWindow, LatePolicy, SourceProgressEvent, TradeEvent } from './window.types';

/**
 * What a restart needs to carry on with one symbol at one size, besides replaying the finest
 * windows' events: the larger window still open (its closed parts merged, with the exact Σ
 * price) and, under `carry`, the end and close of the symbol's last written window.
 */
export interface SizeSymbolState {
  readonly sizeMs: number;
  readonly symbol: string;
  /** The open larger window as merged so far; absent at the finest size or when none is open. */
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
   * revises its finest window; larger windows are not revised (their parts were rolled up).
   */
  readonly latePolicy?: LatePolicy;
  readonly allowedLatenessMs?: number;
  /** See `WindowEngineOptions.sourceTimeoutMs` and `replayUntilSequence`. */
  readonly sourceTimeoutMs?: number;
  readonly replayUntilSequence?: number;
}

/** One larger size, rolled up from the closed windows of a smaller one. */
interface RollupLevel {
  readonly sizeMs: number;
  /** Index of the level whose closed windows tile this one's. */
  readonly fromLevel: number;
  readonly open: Map<string, WindowRollup>;
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
 * included) within `allowedLatenessMs`; the larger windows are not revised, since their parts
 * were rolled up when they first closed — a larger row then lacks the late trades its finest rows
 * gained (counted by the finest engine's corrections).
 */
export class MultiSizeWindowEngine {
  readonly sizesMs: readonly number[];
  readonly #finest: TumblingWindowEngine;
  readonly #levels: RollupLevel[] = [];
  readonly #fillers: EmptyWindowFiller[] | undefined;
  /** `${level} ${symbol}` of the states changed since the last {@link takeStateChanges}. */
  readonly #changed = new Set<string>();
  /**
   * Base volumes of finest windows of inverse contracts, by `${startMs} ${symbol}`: while open,
   * and under `correct` as long as the window may still be corrected.
   */
  readonly #baseVolumes = new Map<string, { readonly startMs: number; readonly sum: DecimalTextSum }>();
  /** How long after its end a finest window keeps its base volume for corrections; −1 under `drop`. */
  readonly #keepBaseVolumeMs: number;

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
      this.#levels.push({ sizeMs, fromLevel, open: new Map() });
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
   * `contractSize` (COIN-M) adds its base quantity to the window's base volume.
   */
  add(event: TradeEvent): AddOutcome {
    const outcome = this.#finest.add(event);
    if (event.contractSize !== undefined && (outcome.kind === 'accepted' || (outcome.kind === 'late' && outcome.corrected))) {
      const startMs = windowStartOf(event.eventTimeMs, this.sizesMs[0]);
      const key = `${startMs} ${event.symbol}`;
      let entry = this.#baseVolumes.get(key);
      if (entry === undefined) {
        entry = { startMs, sum: new DecimalTextSum() };
        this.#baseVolumes.set(key, entry);
      }
      entry.sum.add(baseQuantityOf(event.quantity, event.contractSize, event.price));
    }
    return outcome;
  }

  advanceTo(processingTimeMs: number): void {
    this.#finest.advanceTo(processingTimeMs);
  }

  /** See `TumblingWindowEngine.observeSourceProgress`: a symbol's larger windows wait with its finest ones. */
  observeSourceProgress(progress: SourceProgressEvent): void {
    this.#finest.observeSourceProgress(progress);
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
    for (const level of this.#levels) for (const rollup of level.open.values()) endMs = Math.max(endMs, rollup.endMs);
    if (Number.isFinite(endMs)) this.#finest.closeWindowsUpTo(endMs);
    return this.#drain(finest);
  }

  #drain(finest: ClosedWindow[]): ClosedWindow[] {
    const watermarkMs = this.#finest.watermarkMs;
    const bySize: ClosedWindow[][] = [this.#baseVolumes.size === 0 ? finest : finest.map((w) => this.#withBaseVolume(w))];
    this.#levels.forEach((level, index) => {
      const closed: ClosedWindow[] = [];
      for (const part of bySize[level.fromLevel]) if (part.revision === 0) this.#rollUp(index + 1, level, part, closed);
      for (const [symbol, rollup] of level.open) {
        // A symbol whose source holds its finest windows holds its larger ones too.
        if (rollup.endMs > this.#finest.closingBoundOf(symbol)) continue;
        closed.push(rollup.toWindow());
        level.open.delete(symbol);
      }
      bySize.push(closed.sort(byEndThenSymbol));
    });
    if (this.#fillers) bySize.forEach((closed, level) => (bySize[level] = this.#carry(level, closed, watermarkMs)));
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
        const partial = level.open.get(symbol);
        const view = partial !== undefined && partial.startMs === startMs ? WindowRollup.resume(partial.toWindow()) : new WindowRollup(symbol, startMs, startMs + level.sizeMs);
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
      const partial = level === 0 ? undefined : this.#levels[level - 1].open.get(symbol);
      const carried = this.#fillers?.[level].get(symbol);
      states.push({
        sizeMs: this.sizesMs[level],
        symbol,
        ...(partial === undefined ? {} : { partial: partial.toWindow() }),
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
    return { ...window, baseVolume: entry.sum.toString() };
  }

  /** Forgets the base volumes of finest windows that can no longer be corrected. */
  #evictBaseVolumes(watermarkMs: number): void {
    if (this.#keepBaseVolumeMs < 0 || this.#baseVolumes.size === 0) return;
    const sizeMs = this.sizesMs[0];
    for (const [key, { startMs }] of this.#baseVolumes) {
      if (startMs + sizeMs + this.#keepBaseVolumeMs <= watermarkMs) this.#baseVolumes.delete(key);
    }
  }

  #rollUp(levelIndex: number, level: RollupLevel, part: ClosedWindow, closed: ClosedWindow[]): void {
    if (part.eventCount === 0) return;
    const startMs = windowStartOf(part.startMs, level.sizeMs);
    let rollup = level.open.get(part.symbol);
    if (rollup !== undefined && rollup.startMs !== startMs) {
      // Parts come in time order: a part of the next window means this one is complete.
      closed.push(rollup.toWindow());
      rollup = undefined;
    }
    if (rollup === undefined) {
      rollup = new WindowRollup(part.symbol, startMs, startMs + level.sizeMs);
      level.open.set(part.symbol, rollup);
    }
    rollup.add(part);
    this.#changed.add(`${levelIndex} ${part.symbol}`);
  }

  #carry(level: number, closed: ClosedWindow[], watermarkMs: number): ClosedWindow[] {
    const filler = this.#fillers![level];
    const onChange = (symbol: string) => this.#changed.add(`${level} ${symbol}`);
    const withEmpty: ClosedWindow[] = [];
    for (const window of closed) withEmpty.push(...filler.record(window, onChange), window);
    const filled = filler.fillUpTo(watermarkMs, onChange);
    return filled.length === 0 ? withEmpty : [...withEmpty, ...filled].sort(byEndThenSymbol);
  }

  #restore(state: SizeSymbolState): void {
    const level = this.sizesMs.indexOf(state.sizeMs);
    if (level < 0) return; // a size no longer configured
    if (state.carried !== undefined) this.#fillers?.[level].restore(state.symbol, state.carried);
    const partial = state.partial;
    if (level === 0 || partial === undefined || partial.endMs <= this.#finest.watermarkMs) return; // written already
    this.#levels[level - 1].open.set(state.symbol, WindowRollup.resume(partial));
  }
}

function byEndThenSymbol(a: ClosedWindow, b: ClosedWindow): number {
  return a.endMs - b.endMs || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0);
}
