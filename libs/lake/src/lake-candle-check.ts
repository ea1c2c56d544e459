import { MysqlCandleRepository, StoredCandle } from '@cryptostream/persistence';
import { candleFigures, canonicalDecimal } from '@cryptostream/schema';
import { parseWindowSizes, type WindowFigures } from '@cryptostream/windowing';
import type { Pool } from 'mysql2/promise';
import { candlesOfLake, SymbolRange } from './lake-candles';
import type { LakeReader } from './lake-reader';

/** One field where the lake's candle and MySQL's row differ (or a candle only one of them has). */
export interface CandleDifference {
  readonly startMs: number;
  readonly field: string;
  readonly lake: string | number | null;
  readonly mysql: string | number | null;
}

const FIELDS = ['endMs', 'open', 'high', 'low', 'close', 'volume', 'quoteVolume', 'baseVolume', 'takerBuyVolume', 'takerBuyQuoteVolume', 'takerBuyBaseVolume', 'vwap', 'averagePrice', 'tradeCount'] as const;

/** Every difference between the candles computed from the lake and MySQL's rows of the same range, field by field. */
export function compareCandles(lake: readonly WindowFigures[], mysql: readonly StoredCandle[]): CandleDifference[] {
  const stored = new Map(mysql.map((candle) => [candle.startMs, candle]));
  const differences: CandleDifference[] = [];
  for (const window of lake) {
    const row = stored.get(window.startMs);
    stored.delete(window.startMs);
    if (row === undefined) {
      differences.push({ startMs: window.startMs, field: 'candle', lake: 'present', mysql: null });
      continue;
    }
    const figures = readerFiguresOf(window);
    for (const field of FIELDS) {
      const mine = normalized(figures[field]);
      const theirs = normalized((row as unknown as Record<string, unknown>)[field]);
      if (mine !== theirs) differences.push({ startMs: window.startMs, field, lake: mine, mysql: theirs });
    }
  }
  for (const row of stored.values()) differences.push({ startMs: row.startMs, field: 'candle', lake: null, mysql: 'present' });
  return differences.sort((a, b) => a.startMs - b.startMs);
}

/** A computed window as MySQL stores it: the nulls of `candleFigures`, as windowRowValues writes them. */
function readerFiguresOf(window: WindowFigures): Record<string, unknown> {
  return { ...window, ...candleFigures(window) };
}

function normalized(value: unknown): string | number | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? canonicalDecimal(value) : Number(value);
}

/** What {@link checkLakeCandles} found. */
export interface LakeCandleCheck {
  readonly interval: string;
  readonly lake: readonly WindowFigures[];
  readonly mysql: number;
  readonly differences: readonly CandleDifference[];
}

/**
 * Computes a range's candles from the lake's trades ({@link candlesOfLake}) and compares them,
 * field by field, with the rows MySQL's `moving_averages` holds for the same symbol, size and range.
 */
export async function checkLakeCandles(reader: LakeReader, pool: Pool, range: SymbolRange, interval: string): Promise<LakeCandleCheck> {
  const [size] = parseWindowSizes(interval);
  const lake = await candlesOfLake(reader, { ...range, intervalMs: size.ms });
  const stored = await storedCandles(new MysqlCandleRepository(pool), range.symbol, size.label, range.fromMs, range.toMs);
  return { interval: size.label, lake, mysql: stored.length, differences: compareCandles(lake, stored) };
}

async function storedCandles(repository: MysqlCandleRepository, symbol: string, windowSize: string, fromMs: number, toMs: number): Promise<StoredCandle[]> {
  const candles: StoredCandle[] = [];
  let from = fromMs;
  for (;;) {
    const page = await repository.page({ symbol, windowSize, direction: 'forward', fromMs: from, toMs, limit: 1000 });
    candles.push(...page.candles);
    if (!page.more || page.candles.length === 0) return candles;
    from = page.candles[page.candles.length - 1].startMs + 1;
  }
}
