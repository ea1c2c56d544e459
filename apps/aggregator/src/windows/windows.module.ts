import { Module } from '@nestjs/common';
import { PersistenceModule } from '../persistence/persistence.module';
import { windowEngineFactoryProvider } from './window-engine.factory';
import { WindowsService } from './windows.service';

/** One window engine per assigned partition, fed by the consumer, drained into MySQL. */
@Module({
  imports: [PersistenceModule],
  providers: [windowEngineFactoryProvider, WindowsService],
  exports: [WindowsService],
})
export class WindowsModule {}
