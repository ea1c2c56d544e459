import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { exitOnSignals } from '@cryptostream/service-runtime';
import { AppModule } from './app/app.module';
import { INGESTOR_CONFIG } from './config/config.module';
import { IngestorConfig } from './config/ingestor-config';

/** Long enough to flush the producer's queue; Kubernetes' default grace period is 30 s. */
const SHUTDOWN_DEADLINE_MS = 10_000;

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule.forRoot(), { abortOnError: false });
  const { httpPort } = app.get<IngestorConfig>(INGESTOR_CONFIG);
  exitOnSignals(() => app.close(), SHUTDOWN_DEADLINE_MS, new Logger('Main'));
  await app.listen(httpPort);
  Logger.log(`ingestor listening on :${httpPort}`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  Logger.error(`ingestor did not start: ${(error as Error).message}`, 'Bootstrap');
  process.exit(1);
});
