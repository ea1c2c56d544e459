import { canonicalDecimal } from '@cryptostream/schema';
import { ClosedWindow, MultiSizeWindowEngine, TradeEvent } from '@cryptostream/windowing';
import type { LakeReader } from './lake-reader';

/** A symbol's trades in `[fromMs, toMs)` of event time. */
export interface TradeRange {
  readonly symbol: string;
  readonly fromMs: number;
  readonly toMs: number;
}

const TRADE_EVENTS =
  'SELECT CAST(price AS VARCHAR), CAST(quantity AS VARCHAR), epoch_ms(event_time), trade_id, trade_count, is_buyer_maker, CAST(contract_size AS VARCHAR) ' +
  'FROM trades WHERE symbol = $1 AND event_time >= make_timestamp_ms($2) AND event_time < make_timestamp_ms($3) ORDER BY event_time, trade_id';

/** The lake's trades of a range as the window engine's events, in event-time order, a chunk at a time. */
export async function* tradeEventsOf(reader: LakeReader, range: TradeRange): AsyncGenerator<TradeEvent[]> {
  for await (const rows of reader.stream(TRADE_EVENTS, [range.symbol, range.fromMs, range.toMs])) {
    yield rows.map(([price, quantity, eventTimeMs, tradeId, tradeCount, isBuyerMaker, contractSize]) => ({
      symbol: range.symbol,
      price: canonicalDecimal(String(price)),
      quantity: quantity === null ? '0' : canonicalDecimal(String(quantity)),
      eventTimeMs: Number(eventTimeMs),
      ...(tradeId === null ? {} : { tradeId: Number(tradeId) }),
      ...(tradeCount === null ? {} : { tradeCount: Number(tradeCount) }),
      ...(isBuyerMaker === null ? {} : { isBuyerMaker: Boolean(isBuyerMaker) }),
      ...(contractSize === null ? {} : { contractSize: canonicalDecimal(String(contractSize)) }),
    }));
  }
}

/**
 * Candles of one size computed from the lake's trades by the aggregator's own engine
 * (libs/windowing: the same exact rules, duplicates of a trade id counted once). `fromMs` and
 * `toMs` should be window boundaries: a window cut by them holds only part of its trades.
 */
export async function candlesOfLake(reader: LakeReader, range: TradeRange & { readonly intervalMs: number }): Promise<ClosedWindow[]> {
  const engine = new MultiSizeWindowEngine({ sizesMs: [range.intervalMs], graceMs: 0 });
  const windows: ClosedWindow[] = [];
  for await (const events of tradeEventsOf(reader, range)) {
    for (const event of events) engine.add(event);
    windows.push(...engine.drainClosed());
  }
  windows.push(...engine.closeAll());
  return windows;
}
