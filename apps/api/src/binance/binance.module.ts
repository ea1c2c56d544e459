import { Module } from '@nestjs/common';
import { LiveModule } from '../live/live.module';
import { BinanceKlinesService } from './binance-klines.service';
import { BinanceRestController } from './binance-rest.controller';
import { KlineStreamServer } from './kline-stream.server';

/**
 * Binance-compatible market data: klines, exchangeInfo, time and ping on Binance's paths, and
 * the kline WebSocket streams.
 */
@Module({ imports: [LiveModule], controllers: [BinanceRestController], providers: [BinanceKlinesService, KlineStreamServer] })
export class BinanceModule {}
