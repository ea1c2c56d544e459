import { Logger } from '@nestjs/common';
import { logCreator, logLevel } from 'kafkajs';

/** The app's `LOG_LEVEL` as kafkajs understands it: the least severe level it passes on. */
const KAFKA_LEVELS: Readonly<Record<string, logLevel>> = {
  trace: logLevel.DEBUG,
  debug: logLevel.DEBUG,
  info: logLevel.INFO,
  warn: logLevel.WARN,
  error: logLevel.ERROR,
  fatal: logLevel.ERROR,
  silent: logLevel.NOTHING,
};

/** Expected where retries are bounded on purpose (the ingestor's producer): not worth a warning. */
const EXPECTED_WARNING = 'Limiting retries for the idempotent producer';

/**
 * Routes kafkajs logs to the Nest logger (so they land in the app's structured log, with its
 * level) at their own level: ERROR → error, WARN → warn, INFO → log, DEBUG → debug.
 */
export const nestKafkaLogCreator: logCreator = () => {
  const logger = new Logger('kafkajs');
  return ({ level, namespace, log }) => {
    const { message, timestamp: _timestamp, logger: _name, ...extra } = log as { message: string; timestamp?: string; logger?: string };
    const text = `${namespace ? `${namespace}: ` : ''}${message}${Object.keys(extra).length > 0 ? ` ${JSON.stringify(extra)}` : ''}`;
    if (level === logLevel.ERROR) logger.error(text);
    else if (level === logLevel.WARN && !message.startsWith(EXPECTED_WARNING)) logger.warn(text);
    else if (level === logLevel.INFO) logger.log(text);
    else logger.debug(text);
  };
};

/** The `logLevel` and `logCreator` of a kafkajs client for an app logging at `appLevel`. */
export function kafkaLogging(appLevel: string): { logLevel: logLevel; logCreator: logCreator } {
  return { logLevel: KAFKA_LEVELS[appLevel] ?? logLevel.INFO, logCreator: nestKafkaLogCreator };
}
