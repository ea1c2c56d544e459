import { Logger } from '@nestjs/common';
import { logLevel } from 'kafkajs';
import { kafkaLogging } from './kafka-logging';

describe('kafkaLogging', () => {
  it('passes kafkajs the level of the app', () => {
    expect(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].map((level) => kafkaLogging(level).logLevel)).toEqual([
      logLevel.DEBUG, logLevel.DEBUG, logLevel.INFO, logLevel.WARN, logLevel.ERROR, logLevel.ERROR, logLevel.NOTHING,
    ]);
  });

  it('logs each kafkajs entry at its own level, with its namespace and details', () => {
    const written: string[] = [];
    // Nest passes the context last (error() may pass a stack before it).
    const record = (method: string) => (message: string, ...rest: unknown[]) => void written.push(`${method} [${rest.at(-1)}] ${message}`);
    Logger.overrideLogger({ error: record('error'), warn: record('warn'), log: record('log'), debug: record('debug'), verbose: record('verbose') });
    try {
      const log = kafkaLogging('debug').logCreator(logLevel.DEBUG);
      const entry = (level: logLevel, message: string, extra = {}) => log({ namespace: 'Connection', level, label: '', log: { timestamp: 't', logger: 'kafkajs', message, ...extra } });
      entry(logLevel.ERROR, 'Connection error', { broker: 'b:1' });
      entry(logLevel.WARN, 'Request timed out');
      entry(logLevel.WARN, 'Limiting retries for the idempotent producer to 8');
      entry(logLevel.INFO, 'Consumer has joined the group');
      entry(logLevel.DEBUG, 'Request Metadata');
    } finally {
      Logger.overrideLogger(true);
    }
    expect(written).toEqual([
      'error [kafkajs] Connection: Connection error {"broker":"b:1"}',
      'warn [kafkajs] Connection: Request timed out',
      'debug [kafkajs] Connection: Limiting retries for the idempotent producer to 8',
      'log [kafkajs] Connection: Consumer has joined the group',
      'debug [kafkajs] Connection: Request Metadata',
    ]);
  });
});
