import 'reflect-metadata';
import { ConfigError } from '@cryptostream/schema';
import { exitOnSignals } from '@cryptostream/service-runtime';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { API_CONFIG, ApiConfig } from './config/api.config';
import { serveOpenApi } from './openapi';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule, { abortOnError: false });
  const config = app.get<ApiConfig>(API_CONFIG);
  serveOpenApi(app);
  exitOnSignals(() => app.close(), config.shutdownDeadlineMs, new Logger('Main'));
  await app.listen(config.httpPort, '0.0.0.0');
  Logger.log(`api: dashboard on http://127.0.0.1:${config.httpPort}/, OpenAPI on /api/docs, intervals ${config.intervals.map((i) => i.label).join(', ')}`, 'Main');
}

bootstrap().catch((error: unknown) => {
  const message = error instanceof ConfigError ? `configuration error: ${error.message}` : `start-up failed: ${String((error as Error)?.stack ?? error)}`;
  Logger.error(message, 'Main');
  process.exit(1);
});
