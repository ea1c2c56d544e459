import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  Validate,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { DECIMAL_FRACTION_DIGITS, DECIMAL_INTEGER_DIGITS, DECIMAL_MAX_LENGTH, DECIMAL_STRING, isPositiveDecimal, SYMBOL_MAX_LENGTH } from './decimal-string';

/** Earliest and latest event times accepted: Binance opened in July 2017; 2100 is "far future". */
export const MIN_EVENT_TIME_MS = Date.UTC(2017, 0, 1);
export const MAX_EVENT_TIME_MS = Date.UTC(2100, 0, 1);

export const PRICE_SOURCES = ['ws-trade', 'ws-aggTrade', 'rest-ticker', 'replay', 'gap-fill'] as const;
export type PriceSource = (typeof PRICE_SOURCES)[number];

@ValidatorConstraint({ name: 'positiveDecimal' })
class PositiveDecimal implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isPositiveDecimal(value);
  }
  defaultMessage(): string {
    return `$property must be a decimal string greater than zero, like "43200.12", with at most ${DECIMAL_INTEGER_DIGITS} integer and ${DECIMAL_FRACTION_DIGITS} fraction digits`;
  }
}

/**
 * One price observation on `crypto_prices`.
 *
 * The first three fields are the original design's message,
 * `{"symbol":"BTCUSDT","price":"43200.12","timestamp":1700000000.123}`; the rest are optional so
 * that such a message stays valid, and carry what exact windows need (quantity, trade id, the
 * event time in milliseconds). Unknown fields are tolerated and dropped.
 */
export class PriceMessage {
  /** Binance symbol, upper case: BTCUSDT, TRXUSD_PERP, 1000PEPEUSDT. */
  @IsString()
  @MaxLength(SYMBOL_MAX_LENGTH)
  @Matches(new RegExp(`^[A-Z0-9][A-Z0-9_-]{1,${SYMBOL_MAX_LENGTH - 1}}$`), { message: 'symbol must be an upper-case Binance symbol like BTCUSDT' })
  symbol!: string;

  /** Trade (or ticker) price as a decimal string, greater than zero. */
  @IsString()
  @MaxLength(DECIMAL_MAX_LENGTH)
  @Validate(PositiveDecimal)
  price!: string;

  /** Event time in epoch seconds, with milliseconds as the fraction (the original field). */
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(MIN_EVENT_TIME_MS / 1000)
  @Max(MAX_EVENT_TIME_MS / 1000)
  timestamp!: number;

  /** Event time in epoch milliseconds; when present it is the authority over `timestamp`. */
  @IsOptional()
  @IsInt()
  @Min(MIN_EVENT_TIME_MS)
  @Max(MAX_EVENT_TIME_MS)
  eventTimeMs?: number;

  /** Traded quantity as a decimal string; absent for ticker prices. */
  @IsOptional()
  @IsString()
  @MaxLength(DECIMAL_MAX_LENGTH)
  @Matches(DECIMAL_STRING, {
    message: `quantity must be a decimal string like "0.015", with at most ${DECIMAL_INTEGER_DIGITS} integer and ${DECIMAL_FRACTION_DIGITS} fraction digits`,
  })
  quantity?: string;

  /** Binance trade id (or aggregate trade id for aggTrade streams). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  tradeId?: number;

  /** Number of exchange trades behind this message (aggTrade: last - first + 1); default 1. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  tradeCount?: number;

  /** True when the buyer was the maker, i.e. the aggressor sold. */
  @IsOptional()
  @IsBoolean()
  isBuyerMaker?: boolean;

  /**
   * Contract size of an inverse (COIN-M) contract, in the quote asset (TRXUSD_PERP: "10" USD),
   * from Binance's `GET /dapi/v1/exchangeInfo`. Present only for COIN-M symbols: then `quantity`
   * counts contracts and a window's base-asset volume is Σ quantity × contractSize / price, as
   * in Binance's COIN-M klines. Absent for spot and USDⓈ-M, whose quantity is in the base asset.
   */
  @IsOptional()
  @IsString()
  @MaxLength(DECIMAL_MAX_LENGTH)
  @Validate(PositiveDecimal)
  contractSize?: string;

  /** Which ingestor source produced the message. */
  @IsOptional()
  @IsIn(PRICE_SOURCES)
  source?: PriceSource;
}
