import { aggregate, loadTapes, SymbolTape } from '@cryptostream/binance-fake';
import { RECORDINGS } from '@cryptostream/testing';

const FIRST_TRADE_ID = 1_000_000;
const RECORDING = RECORDINGS.TRXUSDT;

/** What bench:latency's market is made of (the same in the fake's process and the bench's). */
export interface LatencyMarketSpec {
  readonly symbols: number;
  /** Market time each symbol trades for. */
  readonly durationMs: number;
  /** Each symbol takes one recorded trade in `thin` (about 9.8 trades/s recorded). */
  readonly thin: number;
}

/**
 * `symbols` symbols (`L0USDT`, `L1USDT`, …) cut from the TRXUSDT recording: symbol k replays
 * `durationMs` of it from an offset of its own (k × 7.919 s, wrapping), every `thin`-th trade
 * from k mod `thin`, moved to start together. Prices and quantities are the recording's; trade
 * ids are numbered again without gaps (the ingestor recovers a gap in ids from REST).
 */
export async function latencyTapes({ symbols, durationMs, thin }: LatencyMarketSpec): Promise<SymbolTape[]> {
  const [recording] = await loadTapes([{ file: RECORDING }]);
  const trades = recording.trades;
  const firstMs = trades[0].tradeTimeMs;
  const spanMs = trades[trades.length - 1].tradeTimeMs - firstMs;
  if (durationMs >= spanMs) throw new Error(`the recording spans ${spanMs} ms, less than the ${durationMs} ms asked for`);
  const tapes: SymbolTape[] = [];
  for (let k = 0; k < symbols; k++) {
    const symbol = `L${k}USDT`;
    const offsetMs = (k * 7_919) % (spanMs - durationMs);
    const fromMs = firstMs + offsetMs;
    const cut = trades
      .filter((trade, i) => i % thin === k % thin && trade.tradeTimeMs >= fromMs && trade.tradeTimeMs < fromMs + durationMs)
      .map((trade, j) => ({
        ...trade, symbol, tradeId: FIRST_TRADE_ID + j, tradeTimeMs: trade.tradeTimeMs - offsetMs,
        ...(trade.eventTimeMs === undefined ? {} : { eventTimeMs: trade.eventTimeMs - offsetMs }),
      }));
    tapes.push({ symbol, trades: cut, aggTrades: aggregate(cut, 1_000_000) });
  }
  return tapes;
}
