import type { SourceProgress } from '@cryptostream/schema';

/** Where one symbol's stream stands when a progress record is due. */
export interface SymbolStreamState {
  /** Its connection is open… */
  readonly open: boolean;
  /** …and its sequencer is not filling a gap (reconnect, skipped id, restart). */
  readonly recovering: boolean;
  /**
   * The connection's newest frame (any: trades of other symbols, pings) in the stream's time:
   * its wall time minus the delay of the newest trade. Undefined before the first trade.
   */
  readonly streamTimeMs: number | undefined;
}

/**
 * Decides each symbol's source-progress record (libs/schema `SourceProgress`): how far its trades
 * are complete. Two kinds of evidence, both only ever moving it forward:
 *
 * - a published trade: the sequencer publishes ids in order, exactly once (live or recovered from
 *   REST), and ids follow trade time, so after a trade of time T every trade before T is out;
 * - a live connection: while it is open, in sequence and carrying frames, every trade older than
 *   the newest frame (in stream time) minus `lagMs` (how far trades of different streams may
 *   arrive out of order) has arrived, and was handed to the publisher before this record, so it
 *   is ahead of the record on the partition.
 *
 * Nothing else moves it: a silent connection (no frames) or a gap being filled leaves it where it
 * is, which is what holds the aggregator's windows open.
 */
export class SourceProgressTracker {
  readonly #completeUpToMs = new Map<string, number>();

  constructor(private readonly lagMs: number) {}

  /** A trade of `symbol` with time `tradeTimeMs` was handed to the publisher, in sequence. */
  published(symbol: string, tradeTimeMs: number): void {
    this.#advance(symbol, tradeTimeMs);
  }

  /** The record to publish for `symbol` now, or undefined while nothing is known of it yet. */
  next(symbol: string, stream: SymbolStreamState, nowMs: number): Omit<SourceProgress, 'kind'> | undefined {
    const recovering = !stream.open || stream.recovering;
    if (!recovering && stream.streamTimeMs !== undefined) this.#advance(symbol, stream.streamTimeMs - this.lagMs);
    const completeUpToMs = this.#completeUpToMs.get(symbol);
    if (completeUpToMs === undefined) return undefined;
    return { symbol, completeUpToMs, state: recovering ? 'recovering' : 'live', atMs: nowMs };
  }

  #advance(symbol: string, upToMs: number): void {
    const current = this.#completeUpToMs.get(symbol);
    if (current === undefined || upToMs > current) this.#completeUpToMs.set(symbol, upToMs);
  }
}
