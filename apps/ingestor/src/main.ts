import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app/app.module';
import { INGESTOR_CONFIG } from './config/config.module';
import { IngestorConfig } from './config/ingestor-config';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule.forRoot(), { abortOnError: false });
  app.enableShutdownHooks();
  const { httpPort } = app.get<IngestorConfig>(INGESTOR_CONFIG);
  await app.listen(httpPort);
  Logger.log(`ingestor listening on :${httpPort}`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  Logger.error(`ingestor did not start: ${(error as Error).message}`, 'Bootstrap');
  process.exit(1);
});
