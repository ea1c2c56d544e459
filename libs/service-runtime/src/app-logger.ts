import { redactSecrets } from '@cryptostream/schema';
import type { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { type LoggerOptions, stdSerializers } from 'pino';

/** The API's key headers (X-API-Key, Binance's X-MBX-APIKEY), wherever a logged request carries them. */
const API_KEY_PATHS = ['req.headers["x-api-key"]', 'req.headers["x-mbx-apikey"]', 'headers["x-api-key"]', 'headers["x-mbx-apikey"]'];

/** Object fields that hold secrets, wherever a logged object carries them. */
const SECRET_PATHS = ['req.headers.authorization', 'req.headers.cookie', ...API_KEY_PATHS];

/** Fields whose values are secrets at any depth of a logged object: passwords, and a TLS key. */
function isSecretField(name: string, parent: string | undefined): boolean {
  return /password$/i.test(name) || (name === 'key' && parent === 'tls');
}

/** A copy of a logged object with its secret fields censored and its strings redacted, at any depth. */
function censorSecrets(value: unknown, name?: string, depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (value === null || typeof value !== 'object' || depth > 12 || value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((item) => censorSecrets(item, name, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [key, isSecretField(key, name) ? '[redacted]' : censorSecrets(child, key, depth + 1)]),
  );
}

/**
 * The pino options of every app: JSON lines (`level` as a word, `time` in epoch ms), readable
 * text instead when `pretty` (stdout is a terminal), at `level`. Secrets never reach the output:
 * `password` fields and TLS keys are censored, and in messages the passwords of URLs, the values
 * of password settings and every secret read from a file (`registerSecret` of @cryptostream/schema) are replaced.
 */
export function pinoOptions(level: string, pretty = process.stdout.isTTY === true): LoggerOptions {
  return {
    level,
    redact: { paths: SECRET_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }), log: (object) => censorSecrets(object) as Record<string, unknown> },
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
