import { parseDecimal, ScaledDecimal } from './decimal/scaled-decimal';
import { WindowAccumulator } from './window-accumulator';
import { resolveWindowOptions, ResolvedWindowOptions, windowStartOf } from './window-options';
import { WindowStore } from './window-store';
import type { AddOutcome, ClosedWindow, TradeEvent, WindowEngineOptions } from './window.types';

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
  #acceptedCount = 0;
  #lateCount = 0;

  constructor(options: WindowEngineOptions = {}) {
    this.options = resolveWindowOptions(options);
    this.#watermarkMs = this.options.initialWatermarkMs;
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
    if (startMs + windowSizeMs <= this.#watermarkMs) return this.#late(event, startMs);

    const symbol = event.symbol;
    let window = this.#latestBySymbol.get(symbol);
    if (window === undefined || window.startMs !== startMs || !window.open) {
      window = this.#open.get(startMs, symbol);
      if (window === undefined) {
        window = new WindowAccumulator(symbol, startMs, startMs + windowSizeMs);
        this.#open.put(window);
      }
      this.#latestBySymbol.set(symbol, window);
    }
    window.add(price, quantity, eventTimeMs, event.tradeId, tradeCount, event.sequence);
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
    const candidate = processingTimeMs - this.options.graceMs;
    if (candidate > this.#watermarkMs) this.#watermarkMs = candidate;
  }

  /**
   * Removes and returns every window whose end ≤ the watermark, ordered by (endMs, symbol), with
   * any corrected windows (revision + 1) of the `correct` policy among them.
   */
  drainClosed(): ClosedWindow[] {
    const closed: ClosedWindow[] = [];
    const corrections = this.#corrections;
    if (corrections.length > 0) {
      this.#corrections = [];
      for (const window of corrections) {
        window.pendingCorrection = false;
        closed.push(window.emit(this.options.exactPriceSum));
      }
    }
    const { windowSizeMs, latePolicy, allowedLatenessMs } = this.options;
    let earliest = this.#open.earliestStartMs;
    while (earliest !== undefined && earliest + windowSizeMs <= this.#watermarkMs) {
      for (const window of this.#open.takeEarliest()) {
        closed.push(window.emit(this.options.exactPriceSum));
        if (this.#latestBySymbol.get(window.symbol) === window) this.#latestBySymbol.delete(window.symbol);
        if (latePolicy === 'correct') this.#emitted.put(window);
      }
      earliest = this.#open.earliestStartMs;
    }
    if (latePolicy === 'correct') this.#emitted.evictWhile((startMs) => startMs + windowSizeMs + allowedLatenessMs <= this.#watermarkMs);
    if (corrections.length > 0) closed.sort(byEndThenSymbol);
    return closed;
  }

  /** Same as {@link drainClosed}, after moving the watermark to `watermarkMs` if that is later. */
  closeWindowsUpTo(watermarkMs: number): ClosedWindow[] {
    if (!Number.isFinite(watermarkMs)) throw new Error(`watermarkMs must be a finite number, got ${watermarkMs}`);
    if (watermarkMs > this.#watermarkMs) this.#watermarkMs = watermarkMs;
    return this.drainClosed();
  }

  /**
   * End of input: closes every open window, moving the watermark to the last window's end so
   * that any later event for them counts as late.
   */
  closeAll(): ClosedWindow[] {
    for (const window of this.#open.values()) {
      if (window.endMs > this.#watermarkMs) this.#watermarkMs = window.endMs;
    }
    return this.drainClosed();
  }

  /**
   * The smallest `sequence` among the events of windows still open, or undefined when none is
   * open (or none carried a sequence): then nothing needs replaying, and a consumer resumes after
   * the last event it gave. A consumer that commits this position and replays from it after a
   * crash, with initialWatermarkMs = the watermark of its last written windows, rebuilds exactly
   * the open windows: events of windows already written come back late. (Corrections pending
   * under the `correct` policy are not covered: drain and write them before committing.)
   */
  oldestOpenSequence(): number | undefined {
    let oldest: number | undefined;
    for (const window of this.#open.values()) {
      const sequence = window.firstSequence;
      if (sequence !== undefined && (oldest === undefined || sequence < oldest)) oldest = sequence;
    }
    return oldest;
  }

  #late(event: TradeEvent, startMs: number): AddOutcome {
    this.#lateCount++;
    const { windowSizeMs, latePolicy, allowedLatenessMs, initialWatermarkMs } = this.options;
    const endMs = startMs + windowSizeMs;
    const watermarkMs = this.#watermarkMs;
    const where = `window [${startMs};${endMs}) of ${event.symbol} closed at watermark ${watermarkMs}`;
    if (latePolicy === 'correct') {
      if (endMs + allowedLatenessMs > watermarkMs) {
        // Closed by the watermark but not drained yet: the event still makes the first emission.
        let window = this.#open.get(startMs, event.symbol) ?? this.#emitted.get(startMs, event.symbol);
        // A window after the initial watermark that is not held never had an event: it is new.
        // One at or before it may have been written before a restart: never overwrite it.
        if (window === undefined && endMs > initialWatermarkMs) {
          window = new WindowAccumulator(event.symbol, startMs, endMs);
          window.open = false;
          this.#emitted.put(window);
        }
        if (window !== undefined) {
          window.add(this.#price, this.#quantity, event.eventTimeMs, event.tradeId, event.tradeCount ?? 1, event.sequence);
          if (!window.open && !window.pendingCorrection) {
            window.pendingCorrection = true;
            this.#corrections.push(window);
          }
          const revision = window.open ? 'included before its first emission' : `corrected as revision ${window.emissions}`;
          return { kind: 'late', reason: `${where}; ${revision}`, windowStartMs: startMs, watermarkMs, corrected: true };
        }
        return { kind: 'late', reason: `${where}; written before this engine started, dropped`, windowStartMs: startMs, watermarkMs, corrected: false };
      }
      return { kind: 'late', reason: `${where}; beyond allowedLatenessMs ${allowedLatenessMs}, dropped`, windowStartMs: startMs, watermarkMs, corrected: false };
    }
    return { kind: 'late', reason: where, windowStartMs: startMs, watermarkMs, corrected: false };
  }
}

function byEndThenSymbol(a: ClosedWindow, b: ClosedWindow): number {
  return a.endMs - b.endMs || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0);
}
