import { MysqlWindowRepository, WindowRepository, PartitionProgress, PartitionWindowState, RefusedWindow } from '@cryptostream/persistence';
import { backoffDelayMs } from '@cryptostream/service-runtime';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { WindowFigures } from '@cryptostream/windowing';
import { performance } from 'node:perf_hooks';
import { AGGREGATOR_CONFIG, AggregatorConfig } from '../config/aggregator.config';
import { AggregatorMetrics } from '../metrics/aggregator.metrics';

interface PendingWindow {
  readonly window: WindowFigures;
  /** performance.now() when the engine closed it. */
  readonly closedAt: number;
}

/** Resolves the callers whose windows and progress are in one transaction. */
interface Commit {
  readonly done: Promise<void>;
  readonly resolve: () => void;
}

function newCommit(): Commit {
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  return { done, resolve };
}

const keyOf = (p: PartitionProgress): string => `${p.topic}\u0000${p.partition}`;

/** Window state rows, one per (partition, size, symbol): a newer state of a row replaces an older one. */
function addStates(pending: Map<string, PartitionWindowState>, state: PartitionWindowState): void {
  for (const one of state.states) pending.set(`${state.topic}\u0000${state.partition}\u0000${one.sizeMs}\u0000${one.symbol}`, { ...state, states: [one] });
}

/**
 * Schedules closed windows and partition progress to MySQL, one transaction at a time, as soon as
 * they arrive: what piles up while a transaction runs goes into the next one. When MySQL fails,
 * everything stays pending and is retried with backoff; windows MySQL refuses for their data are
 * set apart by the repository ({@link WindowRepository.commitWindows}) and counted here. Callers watch
 * {@link isFull} to stop reading before memory grows past `MAX_PENDING_WINDOWS`.
 */
@Injectable()
export class WindowFlusher {
  readonly #logger = new Logger(WindowFlusher.name);
  #windows: PendingWindow[] = [];
  #progress = new Map<string, PartitionProgress>();
  #states = new Map<string, PartitionWindowState>();
  /** Settles when what is pending now is committed; created with the first enqueue after a transaction. */
  #commit: Commit | undefined;
  #running: Promise<void> | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #failures = 0;
  /** Windows of the transaction under way. */
  #inFlight = 0;
  #problem: string | undefined;
  #drainWaiters: Array<() => void> = [];
  #commitWaiters: Array<() => void> = [];

  constructor(
    @Inject(AGGREGATOR_CONFIG) private readonly config: AggregatorConfig,
    @Inject(MysqlWindowRepository) private readonly repository: WindowRepository,
    private readonly metrics: AggregatorMetrics,
  ) {
    metrics.pendingWindowsLimit.set(config.maxPendingWindows);
  }

  /** Windows not committed yet: queued, or in the transaction under way (a failed one puts them back). */
  get pendingWindows(): number {
    return this.#windows.length + this.#inFlight;
  }

  /** True when reading should pause until MySQL catches up. */
  get isFull(): boolean {
    return this.pendingWindows >= this.config.maxPendingWindows;
  }

  /** Why the last transaction failed, or undefined when the last one succeeded. */
  get problem(): string | undefined {
    return this.#problem;
  }

  /**
   * Queues windows closed in one partition, the progress that includes them and the window state
   * of that progress; resolves once MySQL has committed them (it never rejects: failures are
   * retried until they succeed).
   */
  enqueue(windows: readonly WindowFigures[], progress: PartitionProgress, state?: PartitionWindowState, closedAt = performance.now()): Promise<void> {
    for (const window of windows) this.#windows.push({ window, closedAt });
    this.#progress.set(keyOf(progress), progress);
    if (state) addStates(this.#states, state);
    this.metrics.pendingWindows.set(this.pendingWindows);
    this.#commit ??= newCommit();
    const { done } = this.#commit;
    this.#schedule();
    return done;
  }

  /** Resolves when nothing is pending or being written (at once when nothing is). */
  whenDrained(): Promise<void> {
    if (!this.#hasWork() && !this.#running && !this.#retryTimer) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  /** Resolves once pending windows fall under half the bound: reading may resume. */
  async whenRoomAgain(): Promise<void> {
    while (this.pendingWindows >= this.config.maxPendingWindows / 2) {
      await new Promise<void>((resolve) => this.#commitWaiters.push(resolve));
    }
  }

  /** Tries again now instead of waiting for the backoff (used at shutdown). */
  retryNow(): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#schedule();
  }

  #hasWork(): boolean {
    return this.#windows.length > 0 || this.#progress.size > 0;
  }

  #schedule(): void {
    if (this.#running || this.#retryTimer || !this.#hasWork()) return;
    this.#running = this.#flushLoop().finally(() => {
      this.#running = undefined;
      if (this.#hasWork()) {
        this.#schedule(); // queued after the loop's last look, or a retry is due
      } else {
        for (const resolve of this.#drainWaiters.splice(0)) resolve();
      }
    });
  }

  async #flushLoop(): Promise<void> {
    while (this.#hasWork()) {
      const windows = this.#windows;
      const progress = this.#progress;
      const states = this.#states;
      const commit = this.#commit;
      this.#windows = [];
      this.#inFlight = windows.length;
      this.#progress = new Map();
      this.#states = new Map();
      this.#commit = undefined;
      const started = performance.now();
      let refused: RefusedWindow[];
      try {
        refused = await this.repository.commitWindows(windows.map((pending) => pending.window), [...progress.values()], [...states.values()]);
      } catch (error) {
        this.#inFlight = 0;
        this.#restore(windows, progress, states, commit);
        this.#failed(error as Error);
        return;
      }
      this.#inFlight = 0;
      this.#setApart(refused);
      this.#succeeded(windows, started, refused);
      commit?.resolve();
    }
  }

  #setApart(refused: readonly RefusedWindow[]): void {
    if (refused.length === 0) return;
    this.metrics.windowsRefused.inc(refused.length);
    for (const { window, reason } of refused) {
      this.#logger.error(`window ${window.symbol} [${new Date(window.startMs).toISOString()};${new Date(window.endMs).toISOString()}) set apart in dead_windows: ${reason}`);
    }
  }

  #succeeded(windows: readonly PendingWindow[], started: number, refused: readonly RefusedWindow[]): void {
    const now = performance.now();
    this.metrics.flushSeconds.observe((now - started) / 1000);
    for (const pending of windows) this.metrics.closeToVisibleSeconds.observe((now - pending.closedAt) / 1000);
    this.metrics.windowsWritten.inc(windows.length - refused.length);
    this.#noteWrittenSymbols(windows, refused);
    this.metrics.pendingWindows.set(this.pendingWindows);
    if (this.#failures > 0) this.#logger.log(`MySQL answers again after ${this.#failures} failed attempts`);
    this.#failures = 0;
    this.#problem = undefined;
    for (const resolve of this.#commitWaiters.splice(0)) resolve();
  }

  /** Each symbol with a window in the transaction: when its last window reached MySQL (a stall shows as this growing old). */
  #noteWrittenSymbols(windows: readonly PendingWindow[], refused: readonly RefusedWindow[]): void {
    if (windows.length === 0) return;
    const setApart = new Set(refused.map((one) => one.window));
    const symbols = new Set<string>();
    for (const { window } of windows) if (!setApart.has(window)) symbols.add(window.symbol);
    const nowSeconds = Date.now() / 1000;
    for (const symbol of symbols) this.metrics.lastWindowWritten.set({ symbol }, nowSeconds);
  }

  /** Puts a failed transaction's content back in front of what arrived meanwhile. */
  #restore(windows: PendingWindow[], progress: Map<string, PartitionProgress>, states: Map<string, PartitionWindowState>, commit: Commit | undefined): void {
    this.#windows = windows.concat(this.#windows);
    for (const [key, value] of progress) if (!this.#progress.has(key)) this.#progress.set(key, value);
    for (const [key, value] of states) if (!this.#states.has(key)) this.#states.set(key, value);
    // Both sets now go in one transaction: its commit settles the callers of both.
    const newer = this.#commit;
    this.#commit = commit ?? newer;
    if (commit && newer) void commit.done.then(newer.resolve);
  }

  #failed(error: Error): void {
    this.#failures++;
    this.#problem = `cannot write windows to MySQL: ${error.message}`;
    const delay = backoffDelayMs(this.#failures);
    this.#logger.warn(`${this.#problem} (${this.#windows.length} windows pending; retry ${this.#failures} in ${delay} ms)`);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#schedule();
    }, delay);
  }
}
