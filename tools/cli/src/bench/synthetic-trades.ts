import type { TradeEvent } from '@cryptostream/windowing';

/** Deterministic pseudo-random numbers (mulberry32), so every run measures the same input. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYMBOLS = [
  { symbol: 'BTCUSDT', price: 43_200, priceDecimals: 2, quantityDecimals: 5 },
  { symbol: 'ETHUSDT', price: 2_300, priceDecimals: 2, quantityDecimals: 4 },
  { symbol: 'TRXUSDT', price: 0.231, priceDecimals: 5, quantityDecimals: 0 },
  { symbol: 'PEPEUSDT', price: 0.00001234, priceDecimals: 8, quantityDecimals: 0 },
] as const;

/**
 * Trades shaped like Binance's busiest markets: symbols with the real tick and lot decimals of
 * BTC, ETH, TRX and PEPE (`symbolCount` of them, round robin), several trades per millisecond,
 * trade ids in order.
 */
export function syntheticTrades(count: number, symbolCount = 4, startMs = Date.UTC(2025, 2, 4)): TradeEvent[] {
  const next = random(42);
  const markets = Array.from({ length: symbolCount }, (_, k) => {
    const market = SYMBOLS[k % SYMBOLS.length];
    return { ...market, symbol: k < SYMBOLS.length ? market.symbol : `${market.symbol.slice(0, -4)}${k}USDT` };
  });
  const events: TradeEvent[] = new Array(count);
  let timeMs = startMs;
  for (let i = 0; i < count; i++) {
    if (next() < 0.3) timeMs += 1;
    const market = markets[i % markets.length];
    const price = (market.price * (1 + (next() - 0.5) / 100)).toFixed(market.priceDecimals);
    const quantity = (next() * (market.quantityDecimals === 0 ? 10_000 : 3)).toFixed(market.quantityDecimals);
    events[i] = { symbol: market.symbol, price, quantity, eventTimeMs: timeMs, tradeId: i + 1, tradeCount: 1, sequence: i, isBuyerMaker: (i + 1) % 2 === 0 };
  }
  return events;
}

/** The same trades as raw Binance WebSocket messages on a combined stream. */
export function asStreamMessages(events: readonly TradeEvent[]): string[] {
  return events.map((e) =>
    JSON.stringify({
      stream: `${e.symbol.toLowerCase()}@trade`,
      data: { e: 'trade', E: e.eventTimeMs + 2, T: e.eventTimeMs, s: e.symbol, t: e.tradeId, p: e.price, q: e.quantity, X: 'MARKET', m: (e.tradeId ?? 0) % 2 === 0 },
    }),
  );
}
