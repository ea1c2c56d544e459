import { Module } from '@nestjs/common';
import { SchemasModule } from '../schemas/schemas.module';
import { windowEngineFactoryProvider } from './window-engine.factory';
import { WindowsService } from './windows.service';

/** One window engine per assigned partition: batches in, decisions out (no I/O). */
@Module({
  imports: [SchemasModule],
  providers: [windowEngineFactoryProvider, WindowsService],
  exports: [WindowsService],
})
export class WindowsModule {}
