import { ConfigError, redactSecrets } from '@cryptostream/schema';
import { Logger } from '@nestjs/common';

/**
 * Starts an app the same way in every cryptostream service: `start` builds and starts it and
 * resolves with a line saying what now runs; a failure is logged — a bad setting as
 * `configuration error: <SETTING>: <what is wrong>` — and the process exits with 1.
 */
export function runService(start: () => Promise<string>): void {
  start().then(
    (started) => Logger.log(started, 'Main'),
    (error: unknown) => {
      const message = error instanceof ConfigError ? `configuration error: ${error.message}` : `start-up failed: ${String((error as Error)?.stack ?? error)}`;
      Logger.error(redactSecrets(message), 'Main');
      Logger.flush();
      process.exit(1);
    },
  );
}
