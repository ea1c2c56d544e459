import { WINDOW_COLUMN_NEEDS } from '@cryptostream/persistence';
import { DECIMAL_FRACTION_DIGITS, DECIMAL_INTEGER_DIGITS } from '@cryptostream/schema';

/** DuckDB's (and so the files') widest DECIMAL: 38 digits in all. */
const PARQUET_MAX_DECIMAL_PRECISION = 38;

/**
 * The exact type of a decimal with this many integer and fraction digits: `DECIMAL(p,s)` where it
 * fits 38 digits, else the decimal string itself (`VARCHAR`). Never FLOAT or DOUBLE.
 */
export function exactDecimalType(integerDigits: number, fractionDigits: number): string {
  const precision = integerDigits + fractionDigits;
  return precision <= PARQUET_MAX_DECIMAL_PRECISION ? `DECIMAL(${precision},${fractionDigits})` : 'VARCHAR';
}

/** How a value is read by DuckDB (from the staged CSV) before it is cast to the file's type. */
export type StageType = 'VARCHAR' | 'BIGINT' | 'INTEGER' | 'BOOLEAN';

/** One column of a dataset's Parquet files. */
export interface LakeColumn {
  readonly name: string;
  /** The type written to the file (`DECIMAL(27,12)`, `TIMESTAMP_MS`, `BIGINT`, …). */
  readonly fileType: string;
  /** Decimals arrive as their strings and times as epoch ms, cast exactly by DuckDB. */
  readonly stageType: StageType;
}

export const DATASET_NAMES = ['trades', 'candles', 'dead_letters'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

/** A kind of record the lake keeps: its Hive partition keys (in path order) and its columns. */
export interface LakeDataset {
  readonly name: DatasetName;
  readonly partitionKeys: readonly string[];
  readonly columns: readonly LakeColumn[];
}

const PRICE = exactDecimalType(DECIMAL_INTEGER_DIGITS, DECIMAL_FRACTION_DIGITS);
const column = (name: string, fileType: string): LakeColumn => ({ name, fileType, stageType: stageTypeOf(fileType) });

function stageTypeOf(fileType: string): StageType {
  if (fileType === 'BIGINT' || fileType === 'TIMESTAMP_MS') return 'BIGINT';
  if (fileType === 'INTEGER' || fileType === 'BOOLEAN') return fileType;
  return 'VARCHAR';
}

/** The type a `moving_averages` value column needs, from the one storage contract. */
function windowColumnType(name: string): string {
  const need = WINDOW_COLUMN_NEEDS[name];
  if (need?.kind !== 'decimal') throw new Error(`${name} is not a decimal column of moving_averages`);
  return exactDecimalType(need.integerDigits, need.fractionDigits);
}

/** Kafka position of the record a row came from: with the manifest's offsets, its provenance. */
const POSITION = [column('kafka_partition', 'INTEGER'), column('kafka_offset', 'BIGINT')];

/**
 * Every trade of `crypto_prices`: `trades/market=…/symbol=…/date=YYYY-MM-DD/`. `market` is
 * `coin-m` for inverse contracts (the message carries a contract size) and `linear` for spot and
 * USDⓈ-M, which the message does not tell apart.
 */
export const TRADES: LakeDataset = {
  name: 'trades',
  partitionKeys: ['market', 'symbol', 'date'],
  columns: [
    column('trade_id', 'BIGINT'),
    column('event_time', 'TIMESTAMP_MS'),
    column('price', PRICE),
    column('quantity', PRICE),
    column('trade_count', 'INTEGER'),
    column('is_buyer_maker', 'BOOLEAN'),
    column('contract_size', PRICE),
    column('source', 'VARCHAR'),
    ...POSITION,
  ],
};

/** Every final candle of `crypto_windows` (closed updates): `candles/interval=…/symbol=…/date=…/`. */
export const CANDLES: LakeDataset = {
  name: 'candles',
  partitionKeys: ['interval', 'symbol', 'date'],
  columns: [
    column('start_time', 'TIMESTAMP_MS'),
    column('end_time', 'TIMESTAMP_MS'),
    column('open', windowColumnType('open')),
    column('high', windowColumnType('high')),
    column('low', windowColumnType('low')),
    column('close', windowColumnType('close')),
    column('volume', windowColumnType('volume')),
    column('quote_volume', windowColumnType('quote_volume')),
    column('base_volume', windowColumnType('base_volume')),
    column('taker_buy_volume', windowColumnType('taker_buy_volume')),
    column('taker_buy_quote_volume', windowColumnType('taker_buy_quote_volume')),
    column('taker_buy_base_volume', windowColumnType('taker_buy_base_volume')),
    column('vwap', windowColumnType('vwap')),
    column('average_price', windowColumnType('average_price')),
    column('trade_count', 'BIGINT'),
    column('event_count', 'BIGINT'),
    column('revision', 'INTEGER'),
    column('source', 'VARCHAR'),
    ...POSITION,
  ],
};

/**
 * Every dead letter (`crypto_prices.dlq`), flagged `too_late` for trades that were valid but too
 * late for MySQL (their payload is the trade, also in `trades`): `dead_letters/date=…/` by the
 * day they were rejected.
 */
export const DEAD_LETTERS: LakeDataset = {
  name: 'dead_letters',
  partitionKeys: ['date'],
  columns: [
    column('rejected_at', 'TIMESTAMP_MS'),
    column('too_late', 'BOOLEAN'),
    column('reason', 'VARCHAR'),
    column('rejected_by', 'VARCHAR'),
    column('symbol', 'VARCHAR'),
    column('origin_topic', 'VARCHAR'),
    column('origin_partition', 'INTEGER'),
    column('origin_offset', 'BIGINT'),
    column('origin_stream', 'VARCHAR'),
    column('payload', 'VARCHAR'),
    ...POSITION,
  ],
};

export const DATASETS: Readonly<Record<DatasetName, LakeDataset>> = { trades: TRADES, candles: CANDLES, dead_letters: DEAD_LETTERS };
