import { LAKE_TRADE_FIELDS } from '@cryptostream/lake';
import { Controller, Get, Inject, Query, Res, UseFilters } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { BadParameterFilter } from '../candles/bad-parameter.filter';
import { API_CONFIG, ApiConfig } from '../config/api.config';
import { LakeTradesService } from './lake-trades.service';
import { parseTradeQuery, TRADE_FORMATS } from './trade-query';

const CONTENT_TYPES = { json: 'application/json; charset=utf-8', csv: 'text/csv; charset=utf-8', parquet: 'application/vnd.apache.parquet' } as const;

@ApiTags('trades')
@Controller('api')
@UseFilters(BadParameterFilter)
export class TradesController {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly lake: LakeTradesService,
  ) {}

  @Get('trades')
  @ApiOperation({
    summary: 'Raw trades of one symbol from the data lake, oldest first',
    description:
      'Every trade of `symbol` with an event time in [`from`, `to`), from the lake\'s committed Parquet files, ordered by event time then trade id. ' +
      'Streamed a chunk of rows at a time (bounded memory): `json` is one JSON array of objects ' +
      `(${LAKE_TRADE_FIELDS.join(', ')}; decimals as exact strings, times in epoch ms), \`csv\` has those columns with a header, ` +
      '`parquet` is a file with the lake\'s exact types (DECIMAL(27,12) prices and quantities, TIMESTAMP(MILLIS) event_time).',
  })
  @ApiQuery({ name: 'symbol', required: true, example: 'TRXUSDT' })
  @ApiQuery({ name: 'from', required: true, description: 'event time at or after: epoch ms or ISO-8601', example: '2025-03-04T00:00:00Z' })
  @ApiQuery({ name: 'to', required: true, description: 'event time before: epoch ms or ISO-8601 (at most LAKE_TRADES_MAX_RANGE_MS after from, 31 days by default)', example: '2025-03-04T01:00:00Z' })
  @ApiQuery({ name: 'format', required: false, enum: TRADE_FORMATS, description: 'default json' })
  @ApiProduces(...Object.values(CONTENT_TYPES))
  @ApiOkResponse({ description: 'the trades, streamed' })
  @ApiBadRequestResponse({ description: 'a parameter is wrong: `parameter` names it, `message` says what is allowed' })
  async trades(@Query() params: Record<string, unknown>, @Res() response: ServerResponse): Promise<void> {
    const query = parseTradeQuery(params, this.config.tradesMaxRangeMs);
    if (query.format === 'parquet') {
      const path = await this.lake.parquetFile(query);
      try {
        response.writeHead(200, { 'content-type': CONTENT_TYPES.parquet, 'content-disposition': `attachment; filename="${query.symbol}-trades.parquet"` });
        await pipeline(createReadStream(path), response);
      } finally {
        await rm(path, { force: true });
      }
      return;
    }
    response.writeHead(200, { 'content-type': CONTENT_TYPES[query.format] });
    const closed = () => response.destroyed || response.writableEnded;
    let first = true;
    const write = async (text: string) => {
      if (!response.write(text)) await Promise.race([once(response, 'drain'), once(response, 'close')]);
    };
    await write(query.format === 'json' ? '[' : `${LAKE_TRADE_FIELDS.join(',')}\n`);
    for await (const rows of this.lake.rows(query)) {
      if (closed()) return;
      let text = '';
      for (const row of rows) {
        if (query.format === 'json') {
          text += `${first ? '' : ','}\n${JSON.stringify(Object.fromEntries(LAKE_TRADE_FIELDS.map((field, i) => [field, row[i]])))}`;
        } else {
          text += `${row.map((value) => (value === null ? '' : String(value))).join(',')}\n`;
        }
        first = false;
      }
      await write(text);
    }
    response.end(query.format === 'json' ? '\n]\n' : '');
  }
}
