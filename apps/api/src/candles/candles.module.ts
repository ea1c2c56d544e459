import { Module } from '@nestjs/common';
import { CandlesController } from './candles.controller';
import { CandlesService } from './candles.service';
import { ResponseBuffers } from './response-buffers';

/** History: symbols and pages of candles from MySQL. */
@Module({ controllers: [CandlesController], providers: [CandlesService, ResponseBuffers] })
export class CandlesModule {}
