/** A consumer whose last fetch is older than this is not reading: its partitions are not idle. */
export const FETCH_FRESH_MS = 1_000;

interface PartitionIdleness {
  /** The last batch left nothing to read, and no batch is being applied. */
  caughtUp: boolean;
  idleMs: number;
  lastBatchAtMs: number;
}

/**
 * How long each partition has been verifiably idle: caught up with its log, while the consumer
 * kept fetching and was not paused. Time during which the broker was away or reading was held
 * back does not count: records may be waiting, and closing their windows would drop them.
 * Takes the wall time as arguments; reads no clock.
 */
export class IdleClock {
  readonly #partitions = new Map<number, PartitionIdleness>();
  #lastTickMs: number;

  constructor(nowMs: number) {
    this.#lastTickMs = nowMs;
  }

  /** A (re)balance: partitions start busy. */
  reset(partitions: readonly number[]): void {
    this.#partitions.clear();
    for (const partition of partitions) this.#partitions.set(partition, { caughtUp: false, idleMs: 0, lastBatchAtMs: 0 });
  }

  /** A batch is being applied: the partition is not idle until {@link batchDone}. */
  batchStarted(partition: number): void {
    const state = this.#stateOf(partition);
    state.caughtUp = false;
    state.idleMs = 0;
  }

  batchDone(partition: number, caughtUp: boolean, nowMs: number): void {
    const state = this.#stateOf(partition);
    state.caughtUp = caughtUp;
    state.idleMs = 0;
    state.lastBatchAtMs = nowMs;
  }

  /**
   * Advances to `nowMs` and returns each caught-up partition with its idle time so far, or nothing
   * when the consumer is not verifiably reading: its last fetch must be fresh and later than
   * `readingSinceMs` (the end of the last pause).
   */
  tick(nowMs: number, lastFetchAtMs: number, readingSinceMs: number): Array<[partition: number, idleMs: number]> {
    const previousTickMs = this.#lastTickMs;
    this.#lastTickMs = nowMs;
    const reading = lastFetchAtMs > readingSinceMs && nowMs - lastFetchAtMs < FETCH_FRESH_MS;
    if (!reading) return [];
    const idle: Array<[number, number]> = [];
    for (const [partition, state] of this.#partitions) {
      if (!state.caughtUp) continue;
      state.idleMs += Math.max(0, nowMs - Math.max(previousTickMs, state.lastBatchAtMs));
      idle.push([partition, state.idleMs]);
    }
    return idle;
  }

  #stateOf(partition: number): PartitionIdleness {
    let state = this.#partitions.get(partition);
    if (!state) {
      state = { caughtUp: false, idleMs: 0, lastBatchAtMs: 0 };
      this.#partitions.set(partition, state);
    }
    return state;
  }
}
