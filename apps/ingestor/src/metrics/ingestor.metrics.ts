import { Injectable } from '@nestjs/common';
import { ReadinessGauge } from '@cryptostream/service-runtime';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The ingestor's Prometheus metrics, on a registry of its own (so that several app instances in
 * one test process do not collide on the global one).
 */
@Injectable()
export class IngestorMetrics {
  readonly registry = new Registry();

  /** Trades and payloads a source received, before validation. */
  readonly received = new Counter({ name: 'ingestor_received_total', help: 'Payloads received from a source', labelNames: ['source'], registers: [this.registry] });
  readonly published = new Counter({ name: 'ingestor_published_total', help: 'Messages acknowledged by Kafka on the price topic', labelNames: ['symbol'], registers: [this.registry] });
  readonly invalid = new Counter({ name: 'ingestor_invalid_total', help: 'Payloads sent to the dead-letter topic', labelNames: ['source'], registers: [this.registry] });
  readonly duplicates = new Counter({ name: 'ingestor_duplicates_total', help: 'Trades dropped because their id was already published', labelNames: ['symbol'], registers: [this.registry] });
  readonly reconnects = new Counter({ name: 'ingestor_reconnects_total', help: 'WebSocket reconnects', labelNames: ['reason'], registers: [this.registry] });
  readonly backfilled = new Counter({ name: 'ingestor_backfilled_trades_total', help: 'Trades recovered from GET /api/v3/aggTrades after a reconnect', labelNames: ['symbol'], registers: [this.registry] });
  readonly sendErrors = new Counter({ name: 'ingestor_kafka_send_errors_total', help: 'Failed Kafka batch sends (retried)', registers: [this.registry] });
  readonly rateLimited = new Counter({ name: 'ingestor_rate_limited_total', help: 'Binance answers 429 or 418', labelNames: ['status'], registers: [this.registry] });
  readonly usedWeight = new Gauge({ name: 'ingestor_binance_used_weight_1m', help: 'Last X-MBX-USED-WEIGHT-1M Binance reported', registers: [this.registry] });
  readonly weightLimit = new Gauge({ name: 'ingestor_binance_weight_limit_1m', help: 'BINANCE_WEIGHT_LIMIT: the request weight a minute the ingestor allows itself', registers: [this.registry] });
  readonly recoveringSeconds = new Gauge({
    name: 'ingestor_symbol_recovering_seconds',
    help: 'How long the symbol has been recovering (stream down, or missed trades being fetched); 0 while live',
    labelNames: ['symbol'],
    registers: [this.registry],
  });
  readonly ready = new ReadinessGauge(this.registry, 'ingestor_ready');
  readonly eventLag = new Histogram({
    name: 'ingestor_event_lag_seconds',
    help: 'Receive time minus trade time of live trades',
    labelNames: ['source'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'ingestor_' });
  }
}
