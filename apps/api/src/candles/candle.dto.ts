import { ApiProperty } from '@nestjs/swagger';

/** One candle (a window `[startMs, endMs)` of one symbol), as REST and SSE send it. */
export class CandleDto {
  @ApiProperty({ example: 'BTCUSDT' }) symbol!: string;
  @ApiProperty({ example: '1m' }) interval!: string;
  @ApiProperty({ enum: ['trades', 'ticker'], description: 'ticker: REST price observations, without volumes or trade count' }) source!: 'trades' | 'ticker';
  @ApiProperty({ description: 'window start, epoch ms, inclusive', example: 1741046400000 }) startMs!: number;
  @ApiProperty({ description: 'window end, epoch ms, exclusive', example: 1741046460000 }) endMs!: number;
  @ApiProperty({ description: 'exact decimal string', example: '0.23097' }) open!: string;
  @ApiProperty({ example: '0.231' }) high!: string;
  @ApiProperty({ example: '0.2305' }) low!: string;
  @ApiProperty({ example: '0.2308' }) close!: string;
  @ApiProperty({ description: 'Σ quantity; null for ticker windows', nullable: true, type: String, example: '1443073' }) volume!: string | null;
  @ApiProperty({ description: 'Σ price × quantity, exact; null for ticker and COIN-M windows', nullable: true, type: String, example: '332948.24274' })
  quoteVolume!: string | null;
  @ApiProperty({ description: 'COIN-M only: Σ quantity × contract size / price', nullable: true, type: String, example: null }) baseVolume!: string | null;
  @ApiProperty({ description: 'Σ quantity of the trades whose buyer was the taker (Binance\'s taker buy base asset volume; contracts for COIN-M); null for ticker windows and rows from before it was kept', nullable: true, type: String, example: '288873' })
  takerBuyVolume!: string | null;
  @ApiProperty({ description: 'Σ price × quantity of those trades, exact; null for ticker and COIN-M windows and when unknown', nullable: true, type: String, example: '66656.86979' })
  takerBuyQuoteVolume!: string | null;
  @ApiProperty({ description: 'COIN-M only: Σ quantity × contract size / price of those trades', nullable: true, type: String, example: null })
  takerBuyBaseVolume!: string | null;
  @ApiProperty({ description: 'quoteVolume / volume, half-up to 8 decimals; null without volume', nullable: true, type: String, example: '0.23072234' })
  vwap!: string | null;
  @ApiProperty({ description: 'mean of the message prices, half-up to 8 decimals', example: '0.2308' }) averagePrice!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'null for ticker windows', example: 714 }) tradeCount!: number | null;
  @ApiProperty({ description: '0 for the first emission, more for corrections', example: 0 }) revision!: number;
  @ApiProperty({ description: 'false while the window is open (live updates only)', example: true }) closed!: boolean;
}

export class CandlePageDto {
  @ApiProperty({ example: 'BTCUSDT' }) symbol!: string;
  @ApiProperty({ example: '1m' }) interval!: string;
  @ApiProperty({ type: [CandleDto], description: 'newest last' }) candles!: CandleDto[];
  @ApiProperty({ nullable: true, type: String, description: 'pass as `cursor` (with the same other parameters) for the next page; null on the last', example: 'b1741046400000' })
  next!: string | null;
}

export class SymbolDto {
  @ApiProperty({ example: 'BTCUSDT' }) symbol!: string;
  @ApiProperty({ description: 'start of the first stored window, epoch ms' }) firstStartMs!: number;
  @ApiProperty({ description: 'start of the latest stored window, epoch ms' }) latestStartMs!: number;
}

export class SymbolsDto {
  @ApiProperty({ type: [SymbolDto] }) symbols!: SymbolDto[];
  @ApiProperty({ type: [String], description: 'the intervals served, smallest first', example: ['1m'] }) intervals!: string[];
}
