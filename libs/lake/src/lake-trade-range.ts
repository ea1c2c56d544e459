import { canonicalDecimal } from '@cryptostream/schema';
import { TRADES } from './lake-datasets';
import type { LakeManifest } from './lake-manifest';
import { datasetSource } from './lake-reader';

/** Trades of `[fromMs, toMs)` of event time, of some symbols (all when absent). */
export interface TradeRange {
  readonly fromMs: number;
  readonly toMs: number;
  readonly symbols?: readonly string[];
}

/** One trade as the lake gives it back: decimals as exact strings without padding, times in epoch ms. */
export interface LakeTrade {
  readonly symbol: string;
  readonly tradeId: number | null;
  readonly eventTimeMs: number;
  readonly price: string;
  readonly quantity: string | null;
  readonly tradeCount: number | null;
  readonly isBuyerMaker: boolean | null;
  readonly contractSize: string | null;
  readonly source: string | null;
}

export const LAKE_TRADE_FIELDS = ['symbol', 'tradeId', 'eventTimeMs', 'price', 'quantity', 'tradeCount', 'isBuyerMaker', 'contractSize', 'source'] as const;

/**
 * The SQL of a range's trades over the files the manifest lists as committed now (only those whose
 * event times meet the range, and only the symbols' directories), in event-time order, ties by
 * symbol and trade id: the order a replay publishes them in. The columns are {@link LAKE_TRADE_FIELDS}:
 * decimals as text and times as epoch ms, or with `typed` the files' own types (to write Parquet).
 */
export async function tradeRangeQuery(root: string, manifest: LakeManifest, range: TradeRange, typed = false): Promise<{ sql: string; values: (string | number)[] }> {
  const symbols = range.symbols ?? [];
  let files = await manifest.committedFiles('trades', { fromMs: range.fromMs, toMs: range.toMs });
  if (symbols.length > 0) files = files.filter((file) => symbols.some((symbol) => file.partitionDir.includes(`/symbol=${symbol}/`)));
  const values: (string | number)[] = [range.fromMs, range.toMs, ...symbols];
  const symbolFilter = symbols.length === 0 ? '' : ` AND symbol IN (${symbols.map((_, i) => `$${i + 3}`).join(', ')})`;
  const columns = typed
    ? 'symbol, trade_id, event_time, price, quantity, trade_count, is_buyer_maker, contract_size, source'
    : 'symbol, trade_id, epoch_ms(event_time), CAST(price AS VARCHAR), CAST(quantity AS VARCHAR), trade_count, is_buyer_maker, CAST(contract_size AS VARCHAR), source';
  const sql =
    `SELECT ${columns} FROM (${datasetSource(root, TRADES, files)}) WHERE event_time >= make_timestamp_ms($1) AND event_time < make_timestamp_ms($2)${symbolFilter} ` +
    'ORDER BY event_time, symbol, trade_id, kafka_partition, kafka_offset';
  return { sql, values };
}

/** A row of {@link tradeRangeQuery} as a {@link LakeTrade}. */
export function lakeTradeOf(row: readonly unknown[]): LakeTrade {
  const [symbol, tradeId, eventTimeMs, price, quantity, tradeCount, isBuyerMaker, contractSize, source] = row;
  const decimal = (value: unknown) => (value === null ? null : canonicalDecimal(String(value)));
  return {
    symbol: String(symbol), tradeId: tradeId === null ? null : Number(tradeId), eventTimeMs: Number(eventTimeMs), price: canonicalDecimal(String(price)),
    quantity: decimal(quantity), tradeCount: tradeCount === null ? null : Number(tradeCount), isBuyerMaker: isBuyerMaker === null ? null : Boolean(isBuyerMaker),
    contractSize: decimal(contractSize), source: source === null ? null : String(source),
  };
}
