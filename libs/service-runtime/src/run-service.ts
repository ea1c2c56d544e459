import { ConfigError, redactSecrets } from '@cryptostream/schema';
import { Logger } from '@nestjs/common';
import { flushCompileCache } from 'node:module';

/**
 * Starts an app the same way in every cryptostream service: `start` builds and starts it and
 * resolves with a line saying what now runs; a failure is logged — a bad setting as
 * `configuration error: <SETTING>: <what is wrong>` — and the process exits with 1.
 */
export function runService(start: () => Promise<string>): void {
  start().then(
    (started) => {
      Logger.log(started, 'Main');
      // Everything start-up compiles is compiled now: the next start (a restart, a killed
      // process's replacement) reads it from V8's compile cache, when the build enabled it.
      flushCompileCache?.();
    },
    (error: unknown) => {
      const message = error instanceof ConfigError ? `configuration error: ${error.message}` : `start-up failed: ${String((error as Error)?.stack ?? error)}`;
      Logger.error(redactSecrets(message), 'Main');
      Logger.flush();
      process.exit(1);
    },
  );
}
