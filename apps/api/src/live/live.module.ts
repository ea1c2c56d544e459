import { Module } from '@nestjs/common';
import { SchemasModule } from '../schemas/schemas.module';
import { CandleStreamController } from './candle-stream.controller';
import { updateHubProvider, UPDATE_HUB } from './update-hub.provider';
import { WindowUpdatesReader } from './window-updates.reader';

/** Live candles: the window-update topic in, Server-Sent Events out. */
@Module({
  imports: [SchemasModule],
  controllers: [CandleStreamController],
  providers: [updateHubProvider, WindowUpdatesReader],
  exports: [UPDATE_HUB, WindowUpdatesReader],
})
export class LiveModule {}
