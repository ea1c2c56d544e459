import 'reflect-metadata';
import { exitOnSignals, runService } from '@cryptostream/service-runtime';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { ARCHIVER_CONFIG, ArchiverConfig } from './config/archiver.config';
import { LakeConsumer } from './consumer/lake-consumer.service';

runService(async () => {
  const app = await NestFactory.create(AppModule, { abortOnError: false, bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  const config = app.get<ArchiverConfig>(ARCHIVER_CONFIG);
  exitOnSignals(() => app.close(), config.shutdownDeadlineMs, new Logger('Main'));
  await app.listen(config.httpPort, '0.0.0.0');
  await app.get(LakeConsumer).start();
  return `archiver: ${app.get(LakeConsumer).topics.join(', ')} -> ${config.lakeDir} (manifest in MySQL ${config.mysql.database}), HTTP on ${config.httpPort}`;
});
