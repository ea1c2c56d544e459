import { CandlePageQuery, MysqlCandleRepository } from '@cryptostream/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { candleOfUpdate } from '../candles/candle.mapper';
import { API_CONFIG, ApiConfig } from '../config/api.config';
import { UpdateHub } from '../live/update-hub';
import { UPDATE_HUB } from '../live/update-hub.provider';
import { BinanceError } from './binance-error';
import { klineJsonOfRow, klineOf, openTimeOfRow } from './binance-kline';
import { BinanceMarket, servesSymbol } from './binance-markets';
import { exchangeInfoOf } from './exchange-info';
import { KlineRequest, parseKlineRequest } from './kline-request';

/**
 * Binance's market-data answers from this project's candles: klines from MySQL with, as
 * Binance does, the open kline last (the live state the API holds from `crypto_windows`), and
 * the `exchangeInfo` of the symbols stored.
 */
@Injectable()
export class BinanceKlinesService {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly repository: MysqlCandleRepository,
    @Inject(UPDATE_HUB) private readonly hub: UpdateHub,
  ) {}

  /** The JSON of `GET <market>/klines`; throws {@link BinanceError} for what Binance refuses. */
  async klinesJson(market: BinanceMarket, params: Readonly<Record<string, unknown>>): Promise<string> {
    const request = parseKlineRequest(params, market, this.config.intervals, (symbol) => servesSymbol(market, symbol));
    const klines = await this.klines(request);
    if (klines.length === 0 && !(await this.repository.hasSymbol(request.symbol))) throw BinanceError.invalidSymbol();
    return `[${klines.join(',')}]`;
  }

  /**
   * Klines by open time as Binance selects them: in [startTime, endTime]; from startTime on
   * (oldest first) when it is given, else the newest up to endTime (or now); `limit` at most.
   * Each kline as its JSON, written from the row's text (no candle object: a 1000-kline answer
   * built as objects and stringified cost the API 2.5 times the CPU of a /api/candles page).
   */
  async klines(request: KlineRequest): Promise<string[]> {
    const { symbol, interval, startTimeMs, endTimeMs, limit } = request;
    const query: CandlePageQuery = {
      symbol, windowSize: interval.label, direction: startTimeMs === undefined ? 'backward' : 'forward', limit,
      fromMs: startTimeMs, toMs: endTimeMs === undefined ? undefined : endTimeMs + 1,
    };
    const { rows, more } = await this.repository.pageRows(query);
    const klines = rows.map(klineJsonOfRow);
    const open = this.hub.openWindow(symbol, interval.ms);
    if (open === undefined) return klines;
    const inRange = (startTimeMs === undefined || open.startMs >= startTimeMs) && (endTimeMs === undefined || open.startMs <= endTimeMs);
    const afterStored = rows.length === 0 || open.startMs > openTimeOfRow(rows[rows.length - 1]);
    if (inRange && afterStored && (query.direction === 'backward' || (!more && klines.length < limit))) {
      klines.push(JSON.stringify(klineOf(candleOfUpdate(open, interval.label))));
      if (klines.length > limit) klines.shift();
    }
    return klines;
  }

  async exchangeInfo(market: BinanceMarket): Promise<object> {
    const symbols = (await this.repository.symbols(this.config.intervals[0].label)).map((span) => span.symbol).filter((symbol) => servesSymbol(market, symbol));
    return exchangeInfoOf(market, symbols, this.config.intervals.map((interval) => interval.label), Date.now());
  }
}
