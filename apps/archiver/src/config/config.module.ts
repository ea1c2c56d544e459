import { appConfigModule } from '@cryptostream/config';
import { archiverConfig } from './archiver.config';

/** Provides the validated, frozen {@link ArchiverConfig} to every module (`@Inject(ARCHIVER_CONFIG)`). */
export const ConfigModule = appConfigModule(archiverConfig);
