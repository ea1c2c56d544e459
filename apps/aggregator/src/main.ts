import 'reflect-metadata';
import { exitOnSignals, runService } from '@cryptostream/service-runtime';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AGGREGATOR_CONFIG, AggregatorConfig } from './config/aggregator.config';
import { KafkaBatchServer } from './consumer/kafka-batch.server';

runService(async () => {
  const app = await NestFactory.create(AppModule, { abortOnError: false, bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  const config = app.get<AggregatorConfig>(AGGREGATOR_CONFIG);
  app.connectMicroservice({ strategy: app.get(KafkaBatchServer) }, { inheritAppConfig: true });
  exitOnSignals(() => app.close(), config.shutdownDeadlineMs, new Logger('Main'));
  await app.listen(config.httpPort, '0.0.0.0');
  await app.startAllMicroservices();
  return `aggregator: ${config.kafkaTopic} -> MySQL ${config.mysql.database}, HTTP on ${config.httpPort}`;
});
