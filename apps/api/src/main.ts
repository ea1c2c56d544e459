import 'reflect-metadata';
import { exitOnSignals, runService } from '@cryptostream/service-runtime';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { API_CONFIG, ApiConfig } from './config/api.config';
import { hardenHttp } from './http/harden-http';
import { serveOpenApi } from './openapi';

runService(async () => {
  const app = await NestFactory.create(AppModule, { abortOnError: false, bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  const config = app.get<ApiConfig>(API_CONFIG);
  hardenHttp(app, config);
  serveOpenApi(app);
  exitOnSignals(() => app.close(), config.shutdownDeadlineMs, new Logger('Main'));
  await app.listen(config.httpPort, '0.0.0.0');
  return `api: dashboard on http://127.0.0.1:${config.httpPort}/, OpenAPI on /api/docs, intervals ${config.intervals.map((i) => i.label).join(', ')}`;
});
