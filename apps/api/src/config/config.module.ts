import { appConfigModule } from '@cryptostream/config';
import { apiConfig } from './api.config';

/** Provides the validated, frozen {@link ApiConfig} to every module (`@Inject(API_CONFIG)`). */
export const ConfigModule = appConfigModule(apiConfig);
