import { PartitionProgress, PartitionWindowState } from '@cryptostream/persistence';
import { eventTimeMsOf, isSourceProgressRecord, parsePriceMessage, parseSourceProgress } from '@cryptostream/schema';
import type { SchemaIdCheck } from '@cryptostream/schema-registry';
import type { AddOutcome, WindowFigures, SizeSymbolState, SourceProgressEvent, TradeEvent } from '@cryptostream/windowing';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The part of the window engine a partition uses (see `TumblingWindowEngine`). */
export interface WindowEngine {
  /** Must not keep `event`: the caller reuses it for the next record. */
  add(event: TradeEvent): AddOutcome;
  advanceTo(nowMs: number): unknown;
  drainClosed(): WindowFigures[];
  /** Open windows that took events since the last call, as they stand (for live views). */
  changedOpenWindows(): WindowFigures[];
  observeSourceProgress(progress: SourceProgressEvent): void;
  /** Every window ending at or before it has been emitted: the watermark to store. */
  readonly writtenWatermarkMs: number;
  /** Windows closed on the watermark because their symbol's source stopped reporting. */
  readonly closedWithoutSourceCount: number;
  oldestOpenSequence(): number | undefined;
  /** What a restart needs besides the replay (see `MultiSizeWindowEngine.takeStateChanges`). */
  takeStateChanges(): SizeSymbolState[];
}

/** One Kafka record as the partition sees it. */
export interface PartitionRecord {
  readonly offset: string;
  readonly key?: Buffer | null;
  readonly value: Buffer | null;
  /** The schema id header (`gid`, or Apicurio's `apicurio.value.globalId`) among them, when the producer wrote one. */
  readonly headers?: Readonly<Record<string, unknown>>;
}

/** A record that failed validation, bound for the dead-letter topic. */
export interface RejectedRecord {
  readonly record: PartitionRecord;
  readonly reason: string;
}

export interface LateRecord {
  readonly offset: string;
  readonly symbol: string;
  readonly reason: string;
}

/** What one batch did: the records for the dead-letter topic, late events, and counts. */
export interface BatchOutcome {
  /** Invalid records, and trades too late to correct their window ("too late: …"). */
  readonly rejected: RejectedRecord[];
  /** Late events that corrected (or made) their window. */
  readonly late: LateRecord[];
  /** Events of windows written before a restart, seen again and skipped: not late. */
  readonly replayed: number;
  readonly accepted: number;
  /** Trades whose id their window had counted already: dropped. */
  readonly duplicates: number;
  /** Of `rejected`, the too-late trades. */
  readonly tooLate: number;
}

/**
 * The windows of one partition of the price topic: validates records, feeds them to the
 * partition's engine with the Kafka offset as sequence, and knows where to resume.
 *
 * After a restart it is created from the stored progress: records before `replayUntilOffset`
 * were already taken into account once, so their late outcomes are replays, not late events.
 */
export class PartitionWindows {
  #nextOffset: number;
  #maxEventTimeMs = Number.NEGATIVE_INFINITY;
  #closedWithoutSourceSeen = 0;
  /** One event object refilled for every record: the engine reads it during add() and keeps none of it. */
  readonly #event: Mutable<TradeEvent> = { symbol: '', price: '', quantity: '', eventTimeMs: 0, tradeId: undefined, tradeCount: undefined, sequence: 0, contractSize: undefined, isBuyerMaker: undefined };
  /**
   * Symbols seen as REST ticker observations (`source: rest-ticker`): their windows are ticker
   * windows, without volumes or trade counts. A symbol is published by one ingestor source.
   */
  readonly #tickerSymbols = new Set<string>();

  constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly engine: WindowEngine,
    options: {
      readonly startOffset: number;
      readonly replayUntilOffset?: number;
      /** Refuses records whose schema id this consumer cannot read (ids looked up before `ingest`); none: no check. */
      readonly schemaIds?: SchemaIdCheck | null;
    },
  ) {
    this.#schemaIds = options.schemaIds ?? undefined;
    this.#nextOffset = options.startOffset;
    this.replayUntilOffset = options.replayUntilOffset ?? options.startOffset;
  }

  private readonly replayUntilOffset: number;
  readonly #schemaIds: SchemaIdCheck | undefined;

  get nextOffset(): number {
    return this.#nextOffset;
  }

  /**
   * Validates and adds each record to the engine: trades to their windows, source-progress
   * records (see `libs/schema` source-progress) to the engine's per-symbol source clocks.
   */
  ingest(records: readonly PartitionRecord[]): BatchOutcome {
    const rejected: RejectedRecord[] = [];
    const late: LateRecord[] = [];
    let accepted = 0;
    let replayed = 0;
    let duplicates = 0;
    let tooLate = 0;
    for (const record of records) {
      const offset = Number(record.offset);
      if (offset < this.#nextOffset) continue; // already seen in this assignment (a re-fetch)
      this.#nextOffset = offset + 1;
      const replay = offset < this.replayUntilOffset;
      const schemaIds = this.#schemaIds;
      if (isSourceProgressRecord(record.value)) {
        const refused = schemaIds?.reasonToRefuse(record, 'source-progress');
        if (refused !== undefined) {
          if (!replay) rejected.push({ record, reason: refused });
          continue;
        }
        const progress = parseSourceProgress(record.value!);
        if (typeof progress === 'string') {
          if (!replay) rejected.push({ record, reason: `source progress: ${progress}` });
          continue;
        }
        // One symbol (a record keyed by it) or the symbols of this partition, each its own word.
        for (const symbol of progress) {
          this.engine.observeSourceProgress(symbol);
          // The source's clock counts as event time for idle partitions (see advanceIdle).
          if (symbol.atMs > this.#maxEventTimeMs) this.#maxEventTimeMs = symbol.atMs;
        }
        continue;
      }
      const refused = schemaIds?.reasonToRefuse(record, 'trade');
      if (refused !== undefined) {
        if (!replay) rejected.push({ record, reason: refused });
        continue;
      }
      const message = parsePriceMessage(record.value);
      if (typeof message === 'string') {
        if (!replay) rejected.push({ record, reason: message });
        continue;
      }
      const eventTimeMs = eventTimeMsOf(message);
      const event = this.#event;
      event.symbol = message.symbol;
      event.price = message.price;
      event.quantity = message.quantity ?? '0';
      event.eventTimeMs = eventTimeMs;
      event.tradeId = message.tradeId;
      event.tradeCount = message.tradeCount;
      event.sequence = offset;
      event.contractSize = message.contractSize;
      event.isBuyerMaker = message.isBuyerMaker;
      if (message.source === 'rest-ticker' && !this.#tickerSymbols.has(message.symbol)) this.#tickerSymbols.add(message.symbol);
      const added = this.engine.add(event);
      if (added.kind === 'accepted') {
        accepted++;
        if (eventTimeMs > this.#maxEventTimeMs) this.#maxEventTimeMs = eventTimeMs;
      } else if (replay) {
        replayed++;
      } else if (added.kind === 'duplicate') {
        duplicates++;
      } else if (added.tooLate) {
        // Never silently dropped: the trade goes to the dead-letter topic with the reason.
        tooLate++;
        rejected.push({ record, reason: `too late: ${added.reason}` });
      } else {
        late.push({ offset: record.offset, symbol: message.symbol, reason: added.reason });
      }
    }
    return { rejected, late, accepted, replayed, duplicates, tooLate };
  }

  /**
   * Lets the wall clock close the windows of a quiet partition: event time is taken to have run
   * on from the newest event for `idleMs`, the wall time the partition has been verifiably idle
   * (fetched, nothing new). Replayed history (event times far in the past) behaves like live data
   * this way, and time spent unable to read (broker down, partitions paused) does not count.
   */
  advanceIdle(idleMs: number): void {
    if (this.#maxEventTimeMs === Number.NEGATIVE_INFINITY) return;
    this.engine.advanceTo(this.#maxEventTimeMs + idleMs);
  }

  /** Open windows that took events since the last call, as they stand now; ticker windows say so. */
  changedOpenWindows(): WindowFigures[] {
    return this.#marked(this.engine.changedOpenWindows());
  }

  /** Windows closed since the last call, in close order; ticker windows say so. */
  takeClosed(): WindowFigures[] {
    return this.#marked(this.engine.drainClosed());
  }

  #marked(windows: WindowFigures[]): WindowFigures[] {
    if (this.#tickerSymbols.size === 0) return windows;
    return windows.map((window) => (this.#tickerSymbols.has(window.symbol) ? { ...window, source: 'ticker' } : window));
  }

  /**
   * The window state changed since the last call, to store with {@link progress} (call it right
   * after {@link takeClosed}); undefined when nothing changed.
   */
  takeState(consumerGroup: string): PartitionWindowState | undefined {
    const states = this.engine.takeStateChanges();
    const watermarkMs = this.engine.writtenWatermarkMs;
    if (states.length === 0 || !Number.isFinite(watermarkMs)) return undefined;
    return { consumerGroup, topic: this.topic, partition: this.partition, asOfWatermarkMs: watermarkMs, states };
  }

  /** Windows closed on the wall clock since the last call because their symbol's source went quiet. */
  takeClosedWithoutSource(): number {
    const count = this.engine.closedWithoutSourceCount;
    const since = count - this.#closedWithoutSourceSeen;
    this.#closedWithoutSourceSeen = count;
    return since;
  }

  /**
   * Where a restart should resume: the first offset of the oldest window still open or still
   * taking corrections, else the next one; with the watermark up to which every window is written.
   */
  progress(consumerGroup: string): PartitionProgress {
    const watermarkMs = this.engine.writtenWatermarkMs;
    return {
      consumerGroup,
      topic: this.topic,
      partition: this.partition,
      resumeOffset: this.engine.oldestOpenSequence() ?? this.#nextOffset,
      nextOffset: this.#nextOffset,
      watermarkMs: Number.isFinite(watermarkMs) ? watermarkMs : null,
    };
  }
}
