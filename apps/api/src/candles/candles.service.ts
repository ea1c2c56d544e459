import { candleOfRowText, MysqlCandleRepository } from '@cryptostream/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { API_CONFIG, ApiConfig } from '../config/api.config';
import { SymbolsDto } from './candle.dto';
import { candlePageJson } from './candle-page.writer';
import { encodeCursor, parseCandleRequest } from './candle-query';
import { ResponseBuffers } from './response-buffers';

/** History from MySQL: pages of candles and the symbols held. */
@Injectable()
export class CandlesService {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly repository: MysqlCandleRepository,
    private readonly buffers: ResponseBuffers,
  ) {}

  /**
   * The JSON of one page (a CandlePageDto), written from the rows' text: a page of 1000 candles
   * as objects, then JSON.stringify, cost the API more CPU than MySQL spent on the query. The
   * answer is a view of a {@link ResponseBuffers} buffer: give it back once it is written.
   * Throws {@link BadParameter} for a wrong parameter.
   */
  async pageJson(params: Readonly<Record<string, unknown>>): Promise<Buffer> {
    const { interval, query } = parseCandleRequest(params, this.config.intervals);
    const { rows, more } = await this.repository.pageRows(query);
    let next: string | null = null;
    if (more && rows.length > 0) {
      next = query.direction === 'forward'
        ? encodeCursor({ direction: 'forward', startMs: candleOfRowText(query.symbol, rows[rows.length - 1]).startMs + 1 })
        : encodeCursor({ direction: 'backward', startMs: candleOfRowText(query.symbol, rows[0]).startMs });
    }
    return candlePageJson({ symbol: query.symbol, interval: interval.label, rows, next }, (bytes) => this.buffers.take(bytes));
  }

  async symbols(): Promise<SymbolsDto> {
    return { symbols: await this.repository.symbols(this.config.intervals[0].label), intervals: this.config.intervals.map((i) => i.label) };
  }
}
