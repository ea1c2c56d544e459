import { ConfigFactory, ConfigModule, registerAs } from '@nestjs/config';
import type { DynamicModule } from '@nestjs/common';
import { deepFreeze, Env, SettingsReader } from './settings-reader';

/** How an app reads its settings: a function of the reader, checked once, its result frozen. */
export type ConfigSchema<T extends object> = (settings: SettingsReader) => T;

/** Loads an app's configuration from `env` with its schema: the function tests call. */
export function loadConfig<T extends object>(schema: ConfigSchema<T>, env: Env = process.env): T {
  return deepFreeze(schema(new SettingsReader(env)));
}

/**
 * An app's configuration as a `@nestjs/config` namespace: read and checked once when the app
 * starts (a bad setting stops start-up with a ConfigError naming it), frozen, and injected with
 * `@Inject(config.KEY)`. `env` defaults to the process environment; tests pass their own.
 */
export function appConfig<T extends object>(namespace: string, schema: ConfigSchema<T>, env?: Env) {
  return registerAs(namespace, () => loadConfig(schema, env ?? process.env));
}

/** The global config module of an app: its one namespace, no `.env` file, nothing else read. */
export function appConfigModule(config: ConfigFactory): Promise<DynamicModule> {
  return ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [config] });
}
