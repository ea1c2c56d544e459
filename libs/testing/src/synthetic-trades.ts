import { MarketTrade, nonMarketReason, priceMessageOfTrade, readTradeFile } from '@cryptostream/market-data';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RECORDINGS_DIR } from './recordings';


/** Every market trade of the recordings, in file order (20,000 for the two TRX streams). */
export async function readRecordedTrades(dir = RECORDINGS_DIR): Promise<MarketTrade[]> {
  const trades: MarketTrade[] = [];
  for (const file of readdirSync(dir).filter((name) => /^test_positive_.*trade_stream.*\.csv$/.test(name)).sort()) {
    for await (const line of readTradeFile(join(dir, file))) {
      if (line.ok && nonMarketReason(line.trade) === undefined) trades.push(line.trade);
    }
  }
  return trades;
}

/** One message to publish: its partition, key and JSON value, and its event time. */
export interface SyntheticMessage {
  readonly partition: number;
  readonly key: string;
  readonly value: string;
  readonly eventTimeMs: number;
}

export interface SpreadOptions {
  /** Copies of each recorded symbol under new names: TRXUSDT → S0TRXUSDT, S1TRXUSDT, … */
  readonly symbolsPerRecording: number;
  /** Repetitions one after another in time, each shifted by the recordings' span. */
  readonly repeats: number;
  readonly partitions: number;
}

/**
 * Volume from the recordings: each recorded symbol is copied under `symbolsPerRecording` names
 * and the whole recording is repeated `repeats` times later in time, then everything is merged by
 * event time (as a live feed would arrive). Each symbol goes to one partition, round-robin.
 */
export function spreadTrades(trades: readonly MarketTrade[], options: SpreadOptions): SyntheticMessage[] {
  const first = Math.min(...trades.map((t) => t.tradeTimeMs));
  const last = Math.max(...trades.map((t) => t.tradeTimeMs));
  const spanMs = Math.ceil((last - first + 1) / 60_000) * 60_000;
  const partitionOf = new Map<string, number>();
  const messages: SyntheticMessage[] = [];
  for (let repeat = 0; repeat < options.repeats; repeat++) {
    for (let copy = 0; copy < options.symbolsPerRecording; copy++) {
      for (const trade of trades) {
        const symbol = `S${copy}${trade.symbol}`;
        const partition = partitionOf.get(symbol) ?? partitionOf.size % options.partitions;
        partitionOf.set(symbol, partition);
        const tradeTimeMs = trade.tradeTimeMs + repeat * spanMs;
        const value = JSON.stringify(priceMessageOfTrade({ ...trade, symbol, tradeTimeMs, tradeId: trade.tradeId + repeat * 1e9 }, 'replay'));
        messages.push({ partition, key: symbol, value, eventTimeMs: tradeTimeMs });
      }
    }
  }
  // Stable sort: within one symbol, file order (trade id order) is kept for equal times.
  return messages.sort((a, b) => a.eventTimeMs - b.eventTimeMs);
}
