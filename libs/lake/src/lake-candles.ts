import { WindowFigures, MultiSizeWindowEngine, TradeEvent } from '@cryptostream/windowing';
import type { LakeReader } from './lake-reader';
import { lakeTradeOf, tradeRangeQuery } from './lake-trade-range';

/** A symbol's trades in `[fromMs, toMs)` of event time. */
export interface SymbolRange {
  readonly symbol: string;
  readonly fromMs: number;
  readonly toMs: number;
}

/** The lake's trades of a range as the window engine's events, in event-time order, a chunk at a time. */
export async function* tradeEventsOf(reader: LakeReader, range: SymbolRange): AsyncGenerator<TradeEvent[]> {
  const { sql, values } = await tradeRangeQuery(reader.root, reader.manifest, { ...range, symbols: [range.symbol] });
  for await (const rows of reader.stream(sql, values)) {
    yield rows.map((row) => {
      const trade = lakeTradeOf(row);
      return {
        symbol: trade.symbol, price: trade.price, quantity: trade.quantity ?? '0', eventTimeMs: trade.eventTimeMs,
        ...(trade.tradeId === null ? {} : { tradeId: trade.tradeId }),
        ...(trade.tradeCount === null ? {} : { tradeCount: trade.tradeCount }),
        ...(trade.isBuyerMaker === null ? {} : { isBuyerMaker: trade.isBuyerMaker }),
        ...(trade.contractSize === null ? {} : { contractSize: trade.contractSize }),
      };
    });
  }
}

/**
 * Candles of one size computed from the lake's trades by the aggregator's own engine
 * (libs/windowing: the same exact rules, duplicates of a trade id counted once). `fromMs` and
 * `toMs` should be window boundaries: a window cut by them holds only part of its trades.
 */
export async function candlesOfLake(reader: LakeReader, range: SymbolRange & { readonly intervalMs: number }): Promise<WindowFigures[]> {
  const engine = new MultiSizeWindowEngine({ sizesMs: [range.intervalMs], graceMs: 0 });
  const windows: WindowFigures[] = [];
  for await (const events of tradeEventsOf(reader, range)) {
    for (const event of events) engine.add(event);
    windows.push(...engine.drainClosed());
  }
  windows.push(...engine.closeAll());
  return windows;
}
