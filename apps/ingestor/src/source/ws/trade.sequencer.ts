import { backoffDelayMs, sleep } from '@cryptostream/service-runtime';
import { Logger } from '@nestjs/common';
import { MarketTrade } from '@cryptostream/market-data';

export interface TradeSequencerOptions {
  readonly symbol: string;
  /** Fetches up to `pageSize` trades with id ≥ `fromId`, oldest first (REST). */
  readonly fetchFrom: (fromId: number) => Promise<readonly MarketTrade[]>;
  readonly pageSize: number;
  /** Publishes one trade; called in id order, exactly once per id. */
  readonly emit: (trade: MarketTrade, recovered: boolean) => Promise<unknown>;
  readonly onDuplicate?: () => void;
  /** First pause between fetch rounds while REST has not caught up with the stream (doubles, up to 5 s). */
  readonly retryPauseMs?: number;
}

/**
 * Makes one symbol's trades gap-free and duplicate-free: live trades pass straight through while
 * their ids are contiguous; after a reconnect, or when an id is skipped, live trades are held
 * while the missing ids are fetched from REST (`fromId` = last id + 1, page by page), then the
 * held trades follow. Ids at or below the last published one are dropped as duplicates.
 */
export class TradeSequencer {
  readonly #logger: Logger;
  #lastId: number | undefined;
  #held = new Map<number, MarketTrade>();
  #catchingUp: Promise<void> | undefined;
  #stopped = false;

  constructor(private readonly options: TradeSequencerOptions) {
    this.#logger = new Logger(`TradeSequencer ${options.symbol}`);
  }

  get lastId(): number | undefined {
    return this.#lastId;
  }

  get catchingUp(): boolean {
    return this.#catchingUp !== undefined;
  }

  /**
   * A trade from the live stream. A `rejected` one (already dead-lettered) is never emitted, but
   * when its id is the next one it counts as seen, so that it does not look like a gap.
   */
  onLive(trade: MarketTrade, rejected = false): void {
    if (rejected) {
      if (this.#lastId !== undefined && trade.tradeId === this.#lastId + 1 && !this.#catchingUp) this.#lastId = trade.tradeId;
      return;
    }
    if (this.#catchingUp) {
      this.#hold(trade);
      return;
    }
    if (this.#lastId === undefined || trade.tradeId === this.#lastId + 1) {
      this.#lastId = trade.tradeId;
      void this.options.emit(trade, false);
    } else if (trade.tradeId <= this.#lastId) {
      this.options.onDuplicate?.();
    } else {
      this.#hold(trade);
      this.#logger.warn(`gap: expected id ${this.#lastId + 1}, got ${trade.tradeId}; recovering from REST`);
      void this.catchUp();
    }
  }

  /** Resumes after `lastId` (published by an earlier run): recovers everything since from REST. */
  resumeAfter(lastId: number): void {
    if (this.#lastId !== undefined) return;
    this.#lastId = lastId;
    void this.catchUp();
  }

  /** The stream was interrupted: fetch whatever happened since the last id. */
  onReconnected(): void {
    if (this.#lastId !== undefined) void this.catchUp();
  }

  stop(): void {
    this.#stopped = true;
  }

  /** Fetches missing trades until the held live trades connect; resolves when live again. */
  catchUp(): Promise<void> {
    this.#catchingUp ??= this.#recover().finally(() => {
      this.#catchingUp = undefined;
    });
    return this.#catchingUp;
  }

  async #recover(): Promise<void> {
    let recovered = 0;
    for (let round = 0; !this.#stopped; round += 1) {
      if (round > 0) await sleep(backoffDelayMs(round, { baseMs: this.options.retryPauseMs ?? 200, maxMs: 5_000 }));
      const lastId = this.#lastId;
      if (lastId === undefined) return;
      let page: readonly MarketTrade[];
      do {
        try {
          page = await this.options.fetchFrom(this.#lastId! + 1);
        } catch (error) {
          this.#logger.warn(`recovery fetch failed: ${(error as Error).message}`);
          page = [];
          break;
        }
        for (const trade of page) {
          if (trade.tradeId !== this.#lastId! + 1) continue;
          this.#held.delete(trade.tradeId);
          this.#lastId = trade.tradeId;
          recovered += 1;
          await this.options.emit(trade, true);
        }
      } while (page.length >= this.options.pageSize && !this.#stopped);
      this.#releaseHeld();
      if (this.#held.size === 0) {
        if (recovered > 0) this.#logger.log(`recovered ${recovered} trades from REST; live again at id ${this.#lastId}`);
        return;
      }
    }
  }

  /** Publishes the held live trades that now follow on, in order; drops duplicates. */
  #releaseHeld(): void {
    for (const id of [...this.#held.keys()].sort((x, y) => x - y)) {
      if (id <= this.#lastId!) {
        this.#held.delete(id);
        this.options.onDuplicate?.();
      } else if (id === this.#lastId! + 1) {
        const trade = this.#held.get(id)!;
        this.#held.delete(id);
        this.#lastId = id;
        void this.options.emit(trade, false);
      } else {
        return;
      }
    }
  }

  #hold(trade: MarketTrade): void {
    if (this.#lastId !== undefined && trade.tradeId <= this.#lastId) this.options.onDuplicate?.();
    else if (this.#held.has(trade.tradeId)) this.options.onDuplicate?.();
    else this.#held.set(trade.tradeId, trade);
  }
}
