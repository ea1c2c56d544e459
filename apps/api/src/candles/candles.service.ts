import { MysqlCandleRepository } from '@cryptostream/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { API_CONFIG, ApiConfig } from '../config/api.config';
import { CandlePageDto, SymbolsDto } from './candle.dto';
import { candleOfStored } from './candle.mapper';
import { encodeCursor, parseCandleRequest } from './candle-query';

/** History from MySQL: pages of candles and the symbols held. */
@Injectable()
export class CandlesService {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly repository: MysqlCandleRepository,
  ) {}

  /** Throws {@link BadParameter} for a wrong parameter. */
  async page(params: Readonly<Record<string, unknown>>): Promise<CandlePageDto> {
    const { interval, query } = parseCandleRequest(params, this.config.intervals);
    const { candles, more } = await this.repository.page(query);
    let next: string | null = null;
    if (more && candles.length > 0) {
      next = query.direction === 'forward'
        ? encodeCursor({ direction: 'forward', startMs: candles[candles.length - 1].startMs + 1 })
        : encodeCursor({ direction: 'backward', startMs: candles[0].startMs });
    }
    return { symbol: query.symbol, interval: interval.label, candles: candles.map((c) => candleOfStored(c, interval.label)), next };
  }

  async symbols(): Promise<SymbolsDto> {
    return { symbols: await this.repository.symbols(this.config.intervals[0].label), intervals: this.config.intervals.map((i) => i.label) };
  }
}
