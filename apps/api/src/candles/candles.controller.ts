import { Controller, Get, Headers, Query, Res, UseFilters } from '@nestjs/common';
import { ApiBadRequestResponse, ApiHeader, ApiNotModifiedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { BadParameterFilter } from './bad-parameter.filter';
import { CandlePageDto, SymbolsDto } from './candle.dto';
import { DEFAULT_LIMIT, MAX_LIMIT } from './candle-query';
import { CandlesService } from './candles.service';
import { ResponseBuffers } from './response-buffers';

@ApiTags('candles')
@Controller('api')
@UseFilters(BadParameterFilter)
export class CandlesController {
  constructor(
    private readonly candles: CandlesService,
    private readonly buffers: ResponseBuffers,
  ) {}

  @Get('symbols')
  @ApiOperation({ summary: 'The symbols stored, with their first and latest window, and the intervals served' })
  @ApiOkResponse({ type: SymbolsDto })
  symbols(): Promise<SymbolsDto> {
    return this.candles.symbols();
  }

  @Get('candles')
  @ApiOperation({
    summary: 'Closed candles from MySQL, newest last',
    description:
      'Without `from`: the newest `limit` candles starting before `to` (default: now). With `from`: the oldest `limit` from it on. ' +
      'Pass `next` back as `cursor` (with the same other parameters) for the following page: older ones without `from`, newer with it.',
  })
  @ApiQuery({ name: 'symbol', required: true, example: 'BTCUSDT' })
  @ApiQuery({ name: 'interval', required: false, description: 'one of the served intervals (GET /api/symbols); default the smallest', example: '1m' })
  @ApiQuery({ name: 'from', required: false, description: 'window start at or after, epoch ms' })
  @ApiQuery({ name: 'to', required: false, description: 'window start before, epoch ms' })
  @ApiQuery({ name: 'limit', required: false, description: `1 to ${MAX_LIMIT}, default ${DEFAULT_LIMIT}` })
  @ApiQuery({ name: 'cursor', required: false, description: '`next` of the previous page' })
  @ApiProduces('application/json')
  @ApiOkResponse({ type: CandlePageDto })
  @ApiBadRequestResponse({ description: 'a parameter is wrong: `parameter` names it, `message` says what is allowed' })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'the `ETag` of an earlier answer: 304 while the page is unchanged' })
  @ApiNotModifiedResponse({ description: 'the page is byte for byte the one of that `ETag`' })
  async page(@Query() params: Record<string, unknown>, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() response: ServerResponse): Promise<void> {
    // The JSON is written here, not by Nest: the service builds it from the rows' text.
    const body = await this.candles.pageJson(params);
    // A strong validator of the exact bytes (SHA-1 is cheap next to the query): a dashboard polling
    // history downloads a page again only when a row in it changed (a late trade's revision).
    const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
    // If-None-Match compares weakly: W/"x" matches "x".
    if (ifNoneMatch?.split(',').some((tag) => ['*', etag].includes(tag.trim().replace(/^W\//, '')))) {
      this.buffers.give(body);
      response.writeHead(304, { etag });
      response.end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length, etag });
    // The buffer is reused once the socket has all of it; an answer cut short leaves it to the GC.
    response.once('finish', () => this.buffers.give(body));
    response.end(body);
  }
}
