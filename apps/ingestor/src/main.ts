import 'reflect-metadata';
import { exitOnSignals, runService } from '@cryptostream/service-runtime';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app/app.module';
import { INGESTOR_CONFIG } from './config/config.module';
import { IngestorConfig } from './config/ingestor-config';

runService(async () => {
  const app = await NestFactory.create(AppModule.forRoot(), { abortOnError: false, bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  const config = app.get<IngestorConfig>(INGESTOR_CONFIG);
  exitOnSignals(() => app.close(), config.shutdownDeadlineMs, new Logger('Main'));
  await app.listen(config.httpPort, '0.0.0.0');
  return `ingestor: ${config.source} source -> ${config.kafka.topic}, HTTP on ${config.httpPort}`;
});
