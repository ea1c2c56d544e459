import 'reflect-metadata';
import { ConfigError } from '@cryptostream/schema';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { AGGREGATOR_CONFIG, AggregatorConfig } from './config/aggregator.config';
import { KafkaBatchServer } from './consumer/kafka-batch.server';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule, { abortOnError: false, bufferLogs: false });
  const config = app.get<AggregatorConfig>(AGGREGATOR_CONFIG);
  app.connectMicroservice({ strategy: app.get(KafkaBatchServer) }, { inheritAppConfig: true });
  exitOnSignals(() => app.close(), config.shutdownDeadlineMs);
  await app.listen(config.httpPort, '0.0.0.0');
  await app.startAllMicroservices();
  Logger.log(`aggregator: ${config.kafkaTopic} -> MySQL ${config.mysql.database}, HTTP on ${config.httpPort}`, 'Main');
}

/** SIGTERM/SIGINT: graceful close, exit 0; past the deadline exit 1 (stored offsets make it safe). */
function exitOnSignals(close: () => Promise<void>, deadlineMs: number): void {
  const onSignal = (signal: NodeJS.Signals) => {
    Logger.log(`${signal} received; closing within ${deadlineMs} ms`, 'Main');
    setTimeout(() => {
      Logger.error(`shutdown took longer than ${deadlineMs} ms; exiting`, 'Main');
      process.exit(1);
    }, deadlineMs).unref();
    close().then(
      () => process.exit(0),
      (error: Error) => {
        Logger.error(`shutdown failed: ${error.message}`, 'Main');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

bootstrap().catch((error: unknown) => {
  const message = error instanceof ConfigError ? `configuration error: ${error.message}` : `start-up failed: ${String((error as Error)?.stack ?? error)}`;
  Logger.error(message, 'Main');
  process.exit(1);
});
