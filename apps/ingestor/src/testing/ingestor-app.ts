import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AddressInfo } from 'node:net';
import { AppModule } from '../app/app.module';
import { Env } from '../config/ingestor-config.loader';

/** The JSON body of @nestjs/terminus health checks. */
export interface HealthBody {
  readonly status: 'ok' | 'error';
  readonly details: Record<string, Record<string, unknown>>;
}

/** A running ingestor with its HTTP base URL, for integration tests. */
export interface RunningIngestor {
  readonly app: INestApplication;
  readonly baseUrl: string;
  health(path: '/health/live' | '/health/ready'): Promise<{ status: number; body: HealthBody }>;
  metrics(): Promise<string>;
  close(): Promise<void>;
}

/** Boots the whole app with the given settings on a free port (its logs as the test run says: jest.setup-logs.js). */
export async function startIngestor(env: Env): Promise<RunningIngestor> {
  const app = await NestFactory.create(AppModule.forRoot({ HTTP_PORT: '0', ...env }), { abortOnError: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    app,
    baseUrl,
    async health(path) {
      const response = await fetch(`${baseUrl}${path}`);
      return { status: response.status, body: (await response.json()) as HealthBody };
    },
    async metrics() {
      return (await fetch(`${baseUrl}/metrics`)).text();
    },
    close: () => app.close(),
  };
}
