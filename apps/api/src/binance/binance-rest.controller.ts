import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BinanceErrorFilter } from './binance-error';
import { BINANCE_MARKETS, marketOfPath } from './binance-markets';
import { BinanceKlinesService } from './binance-klines.service';

const paths = (endpoint: string) => BINANCE_MARKETS.map((market) => `${market.prefix.slice(1)}/${endpoint}`);

/**
 * Binance's public market-data endpoints that kline clients call, for spot (`/api/v3`),
 * USDⓈ-M (`/fapi/v1`) and COIN-M (`/dapi/v1`), in Binance's shapes: point a Binance client's
 * base URL here and it reads this project's exact candles.
 */
@ApiTags('binance')
@Controller()
@UseFilters(BinanceErrorFilter)
export class BinanceRestController {
  constructor(private readonly klines: BinanceKlinesService) {}

  @Get(paths('klines'))
  @ApiOperation({
    summary: 'Klines in Binance\'s shape, for /api/v3, /fapi/v1 and /dapi/v1',
    description:
      'An array of `[openTime, "open", "high", "low", "close", "volume", closeTime, "quoteVolume", trades, "takerBuyBaseVolume", "takerBuyQuoteVolume", "0"]` ' +
      '(COIN-M: base asset volumes in fields 7 and 10), oldest first, the open kline last. Selection by open time as Binance: in [startTime, endTime]; ' +
      'without startTime the newest. limit: default 500, max 1000 (spot) or 1500 (futures). Errors: Binance\'s `{"code":-1121,"msg":"Invalid symbol."}`, HTTP 400.',
  })
  @ApiQuery({ name: 'symbol', required: true, example: 'TRXUSDT' })
  @ApiQuery({ name: 'interval', required: true, example: '1m' })
  @ApiQuery({ name: 'startTime', required: false })
  @ApiQuery({ name: 'endTime', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiOkResponse({ description: 'the klines' })
  @ApiBadRequestResponse({ description: 'Binance\'s error body: `code` and `msg`' })
  async klinesOf(@Req() request: IncomingMessage, @Query() params: Record<string, unknown>, @Res() response: ServerResponse): Promise<void> {
    const body = await this.klines.klinesJson(marketOfPath(request.url ?? ''), params);
    response.writeHead(200, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  }

  @Get(paths('exchangeInfo'))
  @ApiOperation({ summary: 'The symbols served and the intervals, in Binance\'s exchangeInfo shape (what clients read to load markets)' })
  exchangeInfo(@Req() request: IncomingMessage): Promise<object> {
    return this.klines.exchangeInfo(marketOfPath(request.url ?? ''));
  }

  @Get(paths('time'))
  @ApiOperation({ summary: 'Binance\'s server time: `{"serverTime": epoch ms}`' })
  time(): { serverTime: number } {
    return { serverTime: Date.now() };
  }

  @Get(paths('ping'))
  @ApiOperation({ summary: 'Binance\'s connectivity test: `{}`' })
  ping(): Record<string, never> {
    return {};
  }
}
