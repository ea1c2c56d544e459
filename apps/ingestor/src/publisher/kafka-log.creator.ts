import { Logger } from '@nestjs/common';
import { logCreator, logLevel } from 'kafkajs';

/**
 * Routes kafkajs logs to the Nest logger (so the app's log levels apply to them). The warning
 * about bounded retries of the idempotent producer is expected here (see kafka.provider.ts) and
 * logged at debug level.
 */
export const nestKafkaLogCreator: logCreator = () => {
  const logger = new Logger('kafkajs');
  return ({ level, log }) => {
    const { message, timestamp: _timestamp, logger: _name, ...extra } = log as { message: string; timestamp?: string; logger?: string };
    const text = Object.keys(extra).length > 0 ? `${message} ${JSON.stringify(extra)}` : message;
    if (level === logLevel.ERROR) logger.error(text);
    else if (level === logLevel.WARN && !message.startsWith('Limiting retries for the idempotent producer')) logger.warn(text);
    else logger.debug(text);
  };
};
