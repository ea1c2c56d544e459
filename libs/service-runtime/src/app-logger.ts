import { redactSecrets } from '@cryptostream/schema';
import type { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { type LoggerOptions, stdSerializers } from 'pino';

/** The API's key headers (X-API-Key, Binance's X-MBX-APIKEY), wherever a logged request carries them. */
const API_KEY_PATHS = ['req.headers["x-api-key"]', 'req.headers["x-mbx-apikey"]', 'headers["x-api-key"]', 'headers["x-mbx-apikey"]'];

/** Object fields that hold secrets, wherever a logged object carries them. */
const SECRET_PATHS = ['password', '*.password', '*.*.password', 'req.headers.authorization', 'req.headers.cookie', ...API_KEY_PATHS];

/**
 * The pino options of every app: JSON lines (`level` as a word, `time` in epoch ms), readable
 * text instead when `pretty` (stdout is a terminal), at `level`. Secrets never reach the output:
 * `password` fields are censored, and the password of any URL in a message is replaced.
 */
export function pinoOptions(level: string, pretty = process.stdout.isTTY === true): LoggerOptions {
  return {
    level,
    redact: { paths: SECRET_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: redactedError },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? redactSecrets(arg) : arg)) as Parameters<typeof method>);
      },
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } } : {}),
  };
}

/** pino's error serializer, with the passwords of URLs in the message and stack replaced. */
function redactedError(error: Error): ReturnType<typeof stdSerializers.err> {
  const serialized = stdSerializers.err(error);
  return { ...serialized, message: redactSecrets(serialized.message), stack: redactSecrets(serialized.stack ?? '') };
}

/**
 * The app's logger (nestjs-pino), at the `logLevel` of its configuration: inject the config's
 * token. HTTP requests are not logged one by one (probes would drown the rest).
 */
export function appLoggerModule(configToken: string | symbol): DynamicModule {
  return LoggerModule.forRootAsync({
    inject: [configToken],
    useFactory: (config: { readonly logLevel: string }) => ({ pinoHttp: { ...pinoOptions(config.logLevel), autoLogging: false } }),
  });
}
