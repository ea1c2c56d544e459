import { FakeAggTrade, formatUnits, toUnits } from './recorded-market';

/** Interval lengths `GET /api/v3/klines` accepts. */
export const KLINE_INTERVALS_MS: Readonly<Record<string, number>> = {
  '1s': 1000, '1m': 60_000, '3m': 180_000, '5m': 300_000, '15m': 900_000, '30m': 1_800_000,
  '1h': 3_600_000, '2h': 7_200_000, '4h': 14_400_000, '6h': 21_600_000, '8h': 28_800_000, '12h': 43_200_000, '1d': 86_400_000,
};

/** One kline row as Binance sends it: times in ms, decimals as 8-digit strings. */
export type KlineRow = [number, string, string, string, string, string, number, string, number, string, string, string];

const SCALE = 8;

/**
 * Klines from aggregate trades, bucketed on the trade time, with exact decimal sums. `count` is
 * the number of exchange trades (l - f + 1 summed), as in Binance's klines.
 */
export function klinesOf(aggTrades: readonly FakeAggTrade[], intervalMs: number, startMs: number, endMs: number, limit: number): KlineRow[] {
  const rows: KlineRow[] = [];
  let current: { open: number; o: string; h: string; l: string; c: string; v: bigint; qv: bigint; n: number; tbv: bigint; tbq: bigint; qScale: number } | undefined;
  const flush = () => {
    if (!current) return;
    const quoteScale = current.qScale;
    rows.push([
      current.open, fixed(current.o), fixed(current.h), fixed(current.l), fixed(current.c), formatUnits(current.v, SCALE),
      current.open + intervalMs - 1, toFixedScale(current.qv, quoteScale), current.n, formatUnits(current.tbv, SCALE), toFixedScale(current.tbq, quoteScale), '0',
    ]);
  };
  for (const agg of aggTrades) {
    if (agg.T < startMs || agg.T > endMs) continue;
    const open = agg.T - (agg.T % intervalMs);
    if (current?.open !== open) {
      flush();
      if (rows.length >= limit) return rows;
      current = { open, o: agg.p, h: agg.p, l: agg.p, c: agg.p, v: 0n, qv: 0n, n: 0, tbv: 0n, tbq: 0n, qScale: 2 * SCALE };
    }
    const price = toUnits(agg.p, SCALE);
    const quantity = toUnits(agg.q, SCALE);
    if (price > toUnits(current.h, SCALE)) current.h = agg.p;
    if (price < toUnits(current.l, SCALE)) current.l = agg.p;
    current.c = agg.p;
    current.v += quantity;
    current.qv += price * quantity;
    current.n += agg.l - agg.f + 1;
    if (!agg.m) {
      current.tbv += quantity;
      current.tbq += price * quantity;
    }
  }
  flush();
  return rows.slice(0, limit);
}

/** A decimal string with exactly 8 fraction digits ("0.23103" -> "0.23103000"). */
export function fixed(value: string): string {
  return formatUnits(toUnits(value, SCALE), SCALE);
}

function toFixedScale(units: bigint, scale: number): string {
  return formatUnits(units / 10n ** BigInt(scale - SCALE), SCALE);
}
