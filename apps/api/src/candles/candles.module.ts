import { Module } from '@nestjs/common';
import { CandlesController } from './candles.controller';
import { CandlesService } from './candles.service';

/** History: symbols and pages of candles from MySQL. */
@Module({ controllers: [CandlesController], providers: [CandlesService] })
export class CandlesModule {}
