import { appConfigModule } from '@cryptostream/config';
import type { DynamicModule } from '@nestjs/common';
import { Env, ingestorConfig } from './ingestor-config.loader';

/** Injection token of the frozen {@link IngestorConfig}. */
export const INGESTOR_CONFIG = ingestorConfig().KEY;

/** Validates the settings once, at start-up, and provides them to every module. */
export const ConfigModule = {
  /** `env` defaults to the process environment; tests pass their own. */
  forRoot: (env?: Env): Promise<DynamicModule> => appConfigModule(ingestorConfig(env)),
};
