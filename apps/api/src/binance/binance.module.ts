import { Module } from '@nestjs/common';
import { LiveModule } from '../live/live.module';
import { BinanceKlinesService } from './binance-klines.service';
import { BinanceRestController } from './binance-rest.controller';

/** Binance-compatible market data: klines, exchangeInfo, time and ping on Binance's paths. */
@Module({ imports: [LiveModule], controllers: [BinanceRestController], providers: [BinanceKlinesService] })
export class BinanceModule {}
