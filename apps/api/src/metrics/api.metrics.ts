import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The API's Prometheus metrics, on a registry of its own (not the global one). */
@Injectable()
export class ApiMetrics {
  readonly registry = new Registry();

  readonly requestSeconds = new Histogram({
    name: 'api_http_request_duration_seconds',
    help: 'Duration of HTTP requests (streams excluded)',
    labelNames: ['route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly sseClients = new Gauge({ name: 'api_sse_clients', help: 'Open Server-Sent Events streams', registers: [this.registry] });
  readonly updatesReceived = new Counter({ name: 'api_window_updates_received_total', help: 'Window updates read from the topic', registers: [this.registry] });
  readonly updatesInvalid = new Counter({ name: 'api_window_updates_invalid_total', help: 'Messages of the window-update topic that were not updates (skipped)', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'api_' });
  }
}
