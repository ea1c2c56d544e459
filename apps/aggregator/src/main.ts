import 'reflect-metadata';
import { ConfigError } from '@cryptostream/schema';
import { exitOnSignals } from '@cryptostream/service-runtime';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { AGGREGATOR_CONFIG, AggregatorConfig } from './config/aggregator.config';
import { KafkaBatchServer } from './consumer/kafka-batch.server';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule, { abortOnError: false, bufferLogs: false });
  const config = app.get<AggregatorConfig>(AGGREGATOR_CONFIG);
  app.connectMicroservice({ strategy: app.get(KafkaBatchServer) }, { inheritAppConfig: true });
  exitOnSignals(() => app.close(), config.shutdownDeadlineMs, new Logger('Main'));
  await app.listen(config.httpPort, '0.0.0.0');
  await app.startAllMicroservices();
  Logger.log(`aggregator: ${config.kafkaTopic} -> MySQL ${config.mysql.database}, HTTP on ${config.httpPort}`, 'Main');
}

bootstrap().catch((error: unknown) => {
  const message = error instanceof ConfigError ? `configuration error: ${error.message}` : `start-up failed: ${String((error as Error)?.stack ?? error)}`;
  Logger.error(message, 'Main');
  process.exit(1);
});
