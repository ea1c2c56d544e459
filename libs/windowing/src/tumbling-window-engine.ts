import { parseDecimal, ScaledDecimal } from './decimal/scaled-decimal';
import { SourceClocks } from './source-clocks';
import { WindowAccumulator } from './window-accumulator';
import { byEndThenSymbol } from './window-order';
import { resolveWindowOptions, ResolvedWindowOptions, windowStartOf } from './window-options';
import { WindowStore } from './window-store';
import type { AddOutcome, WindowFigures, SourceProgressEvent, TradeEvent, WindowEngineOptions } from './window.types';

const ACCEPTED: AddOutcome = Object.freeze({ kind: 'accepted' });

/**
 * Exact event-time tumbling windows per symbol, for one stream (one Kafka partition, one file).
 *
 * - Windows are `[start, end)` aligned to the epoch: with 1-minute windows, [0;60000) then
 *   [60000;120000).
 * - watermark = max(event time seen − graceMs, processing time given to {@link advanceTo} −
 *   graceMs, initialWatermarkMs). It never goes back.
 * - A window closes once the watermark reaches its end; {@link drainClosed} hands closed windows
 *   out in order of (endMs, symbol). An event whose window has closed is late: a counted outcome.
 * - A symbol whose source reports progress ({@link observeSourceProgress}) closes its windows when
 *   the source says it is complete past their end instead, however far the watermark is: a
 *   recovering source holds them open. Without a report for sourceTimeoutMs (engine clock) the
 *   symbol falls back to the watermark ({@link closedWithoutSourceCount} counts such closes).
 * - A trade id counted already in its window (open, or emitted and kept for corrections) is a
 *   duplicate: a counted outcome, not added again.
 *
 * Pure: no clock, no timers, no I/O. Deterministic: the same calls in the same order give the
 * same windows wherever the drains fall; events reordered within graceMs give the same windows.
 */
export class TumblingWindowEngine {
  readonly options: ResolvedWindowOptions;
  #watermarkMs: number;
  readonly #open = new WindowStore();
  /** Emitted windows kept for corrections (the `correct` policy only). */
  readonly #emitted = new WindowStore();
  /** Each symbol's most recently used window: nearly every event goes to it. */
  readonly #latestBySymbol = new Map<string, WindowAccumulator>();
  #corrections: WindowAccumulator[] = [];
  // Scratch space for the parsed decimals of the event being added: no allocation per event.
  readonly #price = new ScaledDecimal();
  readonly #quantity = new ScaledDecimal();
  readonly #sources: SourceClocks;
  /** Newest time the engine has seen: event times, processing times, source reports. */
  #clockMs = Number.NEGATIVE_INFINITY;
  #acceptedCount = 0;
  #lateCount = 0;
  /**
   * The highest written watermark seen: what is evicted and what is too late. The written
   * watermark itself may step back (a held symbol opens a window behind it), but a window
   * evicted under a higher value must stay too late, or its late trade would start it afresh.
   */
  #settledMs = Number.NEGATIVE_INFINITY;
  #duplicateCount = 0;
  #closedWithoutSourceCount = 0;

  constructor(options: WindowEngineOptions = {}) {
    this.options = resolveWindowOptions(options);
    this.#watermarkMs = this.options.initialWatermarkMs;
    this.#sources = new SourceClocks(this.options.sourceTimeoutMs);
  }

  /** Current watermark, epoch ms; −Infinity before any event, advance or initial watermark. */
  get watermarkMs(): number {
    return this.#watermarkMs;
  }

  /** Windows holding events and not yet emitted. */
  get openWindowCount(): number {
    return this.#open.size;
  }

  /** Events that went into an open window. */
  get acceptedCount(): number {
    return this.#acceptedCount;
  }

  /** Events that came after their window closed (dropped or corrected). */
  get lateCount(): number {
    return this.#lateCount;
  }

  /** Events whose trade id their window had counted already. */
  get duplicateCount(): number {
    return this.#duplicateCount;
  }

  /**
   * Windows of a symbol with source progress that closed on the watermark because the source
   * stopped reporting (sourceTimeoutMs) before it said the symbol was complete past their end.
   */
  get closedWithoutSourceCount(): number {
    return this.#closedWithoutSourceCount;
  }

  /**
   * Every window ending at or before this time has been emitted: the watermark, or the start of
   * the earliest window a source still holds open. The watermark to store with a consumer's
   * offsets (initialWatermarkMs after a restart).
   */
  get writtenWatermarkMs(): number {
    const earliest = this.#open.earliestStartMs;
    if (earliest !== undefined && earliest + this.options.windowSizeMs <= this.#watermarkMs) return earliest;
    return this.#watermarkMs;
  }

  /**
   * A source's report that every trade of `symbol` before `completeUpToMs` has been given: the
   * symbol's windows ending by then may close (at the next drain), later ones stay open.
   */
  observeSourceProgress(progress: SourceProgressEvent): void {
    const { symbol, completeUpToMs, atMs } = progress;
    if (!Number.isSafeInteger(completeUpToMs) || !Number.isSafeInteger(atMs)) {
      throw new Error(`completeUpToMs and atMs must be integer epoch times in ms, got ${completeUpToMs} and ${atMs}`);
    }
    if (atMs > this.#clockMs) this.#clockMs = atMs;
    this.#sources.observe(symbol, completeUpToMs, atMs);
  }

  /**
   * Adds one event to its window, or reports it late when the watermark has passed the window's
   * end; then advances the watermark to eventTimeMs − graceMs. Throws only for an event that
   * breaks the contract (price not a decimal > 0, quantity not a decimal ≥ 0, time not an
   * integer, tradeCount not a positive integer), before changing any state.
   */
  add(event: TradeEvent): AddOutcome {
    const eventTimeMs = event.eventTimeMs;
    const price = this.#price;
    const quantity = this.#quantity;
    if (!Number.isSafeInteger(eventTimeMs)) throw new Error(`eventTimeMs must be an integer epoch time in ms, got ${eventTimeMs}`);
    if (!parseDecimal(event.price, price) || (price.big === undefined && price.mantissa === 0)) {
      throw new Error(`price must be a decimal string greater than zero, got ${JSON.stringify(event.price)}`);
    }
    if (!parseDecimal(event.quantity, quantity)) {
      throw new Error(`quantity must be a non-negative decimal string, got ${JSON.stringify(event.quantity)}`);
    }
    const tradeCount = event.tradeCount ?? 1;
    if (!Number.isSafeInteger(tradeCount) || tradeCount < 1) throw new Error(`tradeCount must be a positive integer, got ${tradeCount}`);
    const { windowSizeMs, graceMs } = this.options;
    const startMs = windowStartOf(eventTimeMs, windowSizeMs);
    const symbol = event.symbol;
    if (eventTimeMs > this.#clockMs) this.#clockMs = eventTimeMs;
    const boundMs = this.#sources.size === 0 ? this.#watermarkMs : this.#boundOf(symbol);
    if (startMs + windowSizeMs <= boundMs) return this.#late(event, startMs, boundMs);

    let window = this.#latestBySymbol.get(symbol);
    if (window === undefined || window.startMs !== startMs || !window.open) {
      window = this.#open.get(startMs, symbol);
      // Emitted already (before its source fell silent and came back): a correction.
      if (window === undefined && this.#emitted.size > 0 && this.#emitted.get(startMs, symbol) !== undefined) return this.#late(event, startMs, boundMs);
      if (window === undefined) {
        window = new WindowAccumulator(symbol, startMs, startMs + windowSizeMs);
        this.#open.put(window);
      }
      this.#latestBySymbol.set(symbol, window);
    }
    if (event.tradeId !== undefined && !window.claimTradeId(event.tradeId)) return this.#duplicate(event, startMs);
    window.add(price, quantity, eventTimeMs, event.tradeId, tradeCount, event.sequence, event.isBuyerMaker);
    this.#acceptedCount++;
    if (eventTimeMs - graceMs > this.#watermarkMs) this.#watermarkMs = eventTimeMs - graceMs;
    return ACCEPTED;
  }

  /**
   * Moves the watermark to processingTimeMs − graceMs if that is later, so that the windows of a
   * symbol that stopped trading close on time. The adapter calls it from its clock; the time must
   * be comparable to event times (for a replay of history: the newest event time plus the wall
   * time since it arrived), or every later event would be late.
   */
  advanceTo(processingTimeMs: number): void {
    if (!Number.isFinite(processingTimeMs)) throw new Error(`processingTimeMs must be a finite number, got ${processingTimeMs}`);
    if (processingTimeMs > this.#clockMs) this.#clockMs = processingTimeMs;
    const candidate = processingTimeMs - this.options.graceMs;
    if (candidate > this.#watermarkMs) this.#watermarkMs = candidate;
  }

  /**
   * Removes and returns every window whose end ≤ the watermark (for a symbol with fresh source
   * progress: ≤ its completeUpToMs), ordered by (endMs, symbol), with any corrected windows
   * (revision + 1) of the `correct` policy among them.
   */
  drainClosed(): WindowFigures[] {
    return this.#drain(false);
  }

  /**
   * The open windows that took events since the previous call, as they stand now: for live views
   * (throttled by the caller, e.g. once a second). Nothing is emitted or closed; the cost is one
   * look at each open window, none per event.
   */
  changedOpenWindows(): WindowFigures[] {
    const changed: WindowFigures[] = [];
    for (const window of this.#open.values()) {
      if (window.open && window.eventCount !== window.snapshotEventCount) changed.push(window.snapshot(this.options.exactPriceSum));
    }
    return changed;
  }

  /** Same as {@link drainClosed}, after moving the watermark to `watermarkMs` if that is later. */
  closeWindowsUpTo(watermarkMs: number): WindowFigures[] {
    if (!Number.isFinite(watermarkMs)) throw new Error(`watermarkMs must be a finite number, got ${watermarkMs}`);
    if (watermarkMs > this.#watermarkMs) this.#watermarkMs = watermarkMs;
    return this.drainClosed();
  }

  /**
   * End of input: closes every open window, moving the watermark to the last window's end so
   * that any later event for them counts as late.
   */
  closeAll(): WindowFigures[] {
    for (const window of this.#open.values()) {
      if (window.endMs > this.#watermarkMs) this.#watermarkMs = window.endMs;
    }
    return this.#drain(true);
  }

  /**
   * The smallest `sequence` among the events of windows still open — and, under the `correct`
   * policy, of emitted windows still taking corrections — or undefined when there is none: then
   * nothing needs replaying, and a consumer resumes after the last event it gave. A consumer that
   * commits this position with {@link writtenWatermarkMs}, and after a crash replays from it with
   * initialWatermarkMs = that watermark and replayUntilSequence = the next position it had not
   * given, rebuilds exactly the open windows and the written ones that may still be corrected:
   * events of written windows are folded back in, never counted twice. (Corrections pending
   * are not covered: drain and write them before committing.)
   */
  oldestOpenSequence(): number | undefined {
    let oldest: number | undefined;
    const stores = this.options.latePolicy === 'correct' ? [this.#open, this.#emitted] : [this.#open];
    for (const store of stores) {
      for (const window of store.values()) {
        const sequence = window.firstSequence;
        if (sequence !== undefined && (oldest === undefined || sequence < oldest)) oldest = sequence;
      }
    }
    return oldest;
  }

  #drain(force: boolean): WindowFigures[] {
    const closed: WindowFigures[] = [];
    const corrections = this.#corrections;
    if (corrections.length > 0) {
      this.#corrections = [];
      for (const window of corrections) {
        window.pendingCorrection = false;
        closed.push(window.emit(this.options.exactPriceSum));
      }
    }
    const { windowSizeMs, latePolicy, allowedLatenessMs } = this.options;
    const sources = this.#sources;
    const watermarkMs = this.#watermarkMs;
    // Without sources every symbol's bound is the watermark: whole buckets close, in order.
    const closes = (window: WindowAccumulator): boolean => force || window.endMs <= this.#boundOf(window.symbol);
    for (const startMs of this.#open.starts()) {
      if (!force && sources.size === 0 && startMs + windowSizeMs > watermarkMs) break;
      for (const window of this.#open.takeWhere(startMs, closes)) {
        if (sources.unconfirmed(window.symbol, window.endMs)) this.#closedWithoutSourceCount++;
        closed.push(window.emit(this.options.exactPriceSum));
        if (this.#latestBySymbol.get(window.symbol) === window) this.#latestBySymbol.delete(window.symbol);
        if (latePolicy === 'correct') this.#emitted.put(window);
      }
    }
    if (latePolicy === 'correct') {
      const settledMs = this.#settle();
      this.#emitted.evictWhile((startMs) => startMs + windowSizeMs + allowedLatenessMs <= settledMs);
    }
    if (corrections.length > 0 || sources.size > 0) closed.sort(byEndThenSymbol);
    return closed;
  }

  /** Up to where `symbol`'s windows close now (see {@link observeSourceProgress}). */
  closingBoundOf(symbol: string): number {
    return this.#sources.size === 0 ? this.#watermarkMs : this.#boundOf(symbol);
  }

  /**
   * Up to where `symbol`'s windows close: its fresh source's word, else the watermark; never
   * before the initial watermark (windows up to it were written before a restart).
   */
  #boundOf(symbol: string): number {
    const boundMs = this.#sources.boundOf(symbol, this.#watermarkMs, this.#clockMs);
    return boundMs > this.options.initialWatermarkMs ? boundMs : this.options.initialWatermarkMs;
  }

  /** {@link writtenWatermarkMs}, never lower than it has been. */
  #settle(): number {
    const writtenMs = this.writtenWatermarkMs;
    if (writtenMs > this.#settledMs) this.#settledMs = writtenMs;
    return this.#settledMs;
  }

  #duplicate(event: TradeEvent, startMs: number): AddOutcome {
    this.#duplicateCount++;
    const reason = `trade ${event.tradeId} of ${event.symbol} counted already in window [${startMs};${startMs + this.options.windowSizeMs})`;
    return { kind: 'duplicate', reason, windowStartMs: startMs };
  }

  /** An event whose window ended at or before `boundMs`, its symbol's closing bound. */
  #late(event: TradeEvent, startMs: number, boundMs: number): AddOutcome {
    const { windowSizeMs, latePolicy, allowedLatenessMs, initialWatermarkMs, replayUntilSequence } = this.options;
    const endMs = startMs + windowSizeMs;
    const watermarkMs = this.#watermarkMs;
    const where = `window [${startMs};${endMs}) of ${event.symbol} closed at ${boundMs}`;
    if (latePolicy === 'drop') {
      this.#lateCount++;
      return { kind: 'late', reason: where, windowStartMs: startMs, watermarkMs, corrected: false, tooLate: true };
    }
    // Closed but not drained yet, or emitted and kept for corrections.
    let window = this.#open.get(startMs, event.symbol) ?? this.#emitted.get(startMs, event.symbol);
    const replayed = event.sequence !== undefined && event.sequence < replayUntilSequence && endMs <= initialWatermarkMs;
    if (window === undefined) {
      // Kept windows cover everything that may still be corrected (eviction follows the same
      // rule), and after a restart the replay rebuilt them: a window not held never had an event.
      if (endMs + allowedLatenessMs <= this.#settle()) {
        this.#lateCount++;
        const reason = `${where}; too late: beyond allowedLatenessMs ${allowedLatenessMs}`;
        return { kind: 'late', reason, windowStartMs: startMs, watermarkMs, corrected: false, tooLate: true };
      }
      window = new WindowAccumulator(event.symbol, startMs, endMs);
      window.open = false;
      // Rebuilt from a replay: it was written before the restart (emitted once at least).
      if (replayed) window.emissions = 1;
      this.#emitted.put(window);
    }
    if (event.tradeId !== undefined && !window.claimTradeId(event.tradeId)) return this.#duplicate(event, startMs);
    window.add(this.#price, this.#quantity, event.eventTimeMs, event.tradeId, event.tradeCount ?? 1, event.sequence, event.isBuyerMaker);
    if (replayed) return { kind: 'late', reason: `${where}; written before the restart, folded back in`, windowStartMs: startMs, watermarkMs, corrected: false, tooLate: false };
    this.#lateCount++;
    if (!window.open && !window.pendingCorrection) {
      window.pendingCorrection = true;
      this.#corrections.push(window);
    }
    const revision = window.open ? 'included before its first emission' : `corrected as revision ${window.emissions}`;
    return { kind: 'late', reason: `${where}; ${revision}`, windowStartMs: startMs, watermarkMs, corrected: true, tooLate: false };
  }
}
