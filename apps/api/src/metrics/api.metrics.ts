import { Injectable } from '@nestjs/common';
import { ReadinessGauge } from '@cryptostream/service-runtime';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Why the API turned a request or connection away (the `reason` of `api_requests_refused_total`). */
export type RefusalReason =
  | 'rate_limit' | 'api_key' | 'streams_per_client' | 'streams_instance'
  | 'url_too_long' | 'headers_too_large' | 'request_timeout' | 'bad_request';

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
  readonly sseClientsDropped = new Counter({
    name: 'api_sse_clients_dropped_total',
    help: 'Server-Sent Events streams ended because the client fell more than 1 MiB behind',
    registers: [this.registry],
  });
  readonly ready = new ReadinessGauge(this.registry, 'api_ready');
  readonly updatesReceived = new Counter({ name: 'api_window_updates_received_total', help: 'Window updates read from the topic', registers: [this.registry] });
  /** Requests and streams turned away, by why (see RefusalReason) and the status answered. */
  readonly refused = new Counter({
    name: 'api_requests_refused_total',
    help: 'Requests, streams and connections refused by the API\'s limits, by reason and status',
    labelNames: ['reason', 'status'],
    registers: [this.registry],
  });
  readonly updatesInvalid = new Counter({ name: 'api_window_updates_invalid_total', help: 'Messages of the window-update topic that were not updates (skipped)', registers: [this.registry] });
  readonly updatesRefused = new Counter({
    name: 'api_window_updates_refused_total',
    help: 'Window updates not served for their schema id (unknown to the registry, of another schema, or a version this API does not know; logged once per id)',
    registers: [this.registry],
  });

  /** Counts one refusal. */
  refuse(reason: RefusalReason, status: number): void {
    this.refused.inc({ reason, status: String(status) });
  }

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'api_' });
  }
}
