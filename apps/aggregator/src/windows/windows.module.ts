import { Module } from '@nestjs/common';
import { windowEngineFactoryProvider } from './window-engine.factory';
import { WindowsService } from './windows.service';

/** One window engine per assigned partition: batches in, decisions out (no I/O). */
@Module({
  providers: [windowEngineFactoryProvider, WindowsService],
  exports: [WindowsService],
})
export class WindowsModule {}
