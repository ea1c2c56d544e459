import { Module } from '@nestjs/common';
import { LakeTradesService } from './lake-trades.service';
import { TradesController } from './trades.controller';

/** Raw trades from the data lake (`GET /api/trades`). */
@Module({ controllers: [TradesController], providers: [LakeTradesService] })
export class TradesModule {}
