import { DynamicModule, Module } from '@nestjs/common';
import { Env, loadIngestorConfig } from './ingestor-config.loader';

/** Injection token of the frozen {@link IngestorConfig}. */
export const INGESTOR_CONFIG = Symbol('INGESTOR_CONFIG');

/** Validates the settings once, at start-up, and provides them to every module. */
@Module({})
export class ConfigModule {
  /** `env` defaults to the process environment; tests pass their own. */
  static forRoot(env?: Env): DynamicModule {
    return {
      module: ConfigModule,
      global: true,
      providers: [{ provide: INGESTOR_CONFIG, useFactory: () => loadIngestorConfig(env) }],
      exports: [INGESTOR_CONFIG],
    };
  }
}
