import { Injectable } from '@nestjs/common';
import { ReadinessGauge } from '@cryptostream/service-runtime';
import { Counter, Gauge, Histogram, Registry, Summary, collectDefaultMetrics } from 'prom-client';

/** The aggregator's Prometheus metrics, on a registry of its own (not the global one). */
@Injectable()
export class AggregatorMetrics {
  readonly registry = new Registry();

  readonly consumed = new Counter({
    name: 'aggregator_messages_consumed_total',
    help: 'Messages read from the price topic',
    labelNames: ['partition'],
    registers: [this.registry],
  });

  readonly invalid = new Counter({
    name: 'aggregator_messages_invalid_total',
    help: 'Messages that failed validation and went to the dead-letter topic',
    registers: [this.registry],
  });

  readonly late = new Counter({
    name: 'aggregator_events_late_total',
    help: 'Events whose window had already closed and that corrected it (replays of written windows are not counted)',
    registers: [this.registry],
  });

  readonly duplicates = new Counter({
    name: 'aggregator_duplicates_dropped_total',
    help: 'Trades dropped because their window had counted their trade id already (published twice)',
    registers: [this.registry],
  });

  readonly corrections = new Counter({
    name: 'aggregator_window_corrections_total',
    help: 'Written windows revised by late trades (revision + 1)',
    registers: [this.registry],
  });

  readonly tooLate = new Counter({
    name: 'aggregator_events_too_late_total',
    help: 'Trades later than ALLOWED_LATENESS_MS after their window: dead-lettered with reason "too late"',
    registers: [this.registry],
  });

  readonly closedWithoutSource = new Counter({
    name: 'aggregator_windows_closed_without_source_total',
    help: 'Windows closed on the wall clock because their symbol\'s source progress stopped for SOURCE_PROGRESS_TIMEOUT_MS',
    registers: [this.registry],
  });

  readonly windowsWritten = new Counter({
    name: 'aggregator_windows_written_total',
    help: 'Closed windows committed to MySQL',
    registers: [this.registry],
  });

  readonly windowsRefused = new Counter({
    name: 'aggregator_windows_dead_lettered_total',
    help: 'Closed windows MySQL refused for their data, kept in dead_windows with the reason',
    registers: [this.registry],
  });

  readonly updatesPublished = new Counter({
    name: 'aggregator_window_updates_published_total',
    help: 'Window updates (open states and final ones) acknowledged by Kafka on the update topic',
    registers: [this.registry],
  });

  readonly updatesDropped = new Counter({
    name: 'aggregator_window_updates_dropped_total',
    help: 'Window updates given up because the update topic could not take them (the windows themselves are in MySQL)',
    registers: [this.registry],
  });

  readonly lag = new Gauge({
    name: 'aggregator_consumer_lag',
    help: 'Messages behind the partition high watermark after the last batch',
    labelNames: ['partition'],
    registers: [this.registry],
  });

  readonly pendingWindows = new Gauge({
    name: 'aggregator_pending_windows',
    help: 'Closed windows waiting to be committed to MySQL',
    registers: [this.registry],
  });

  readonly pendingWindowsLimit = new Gauge({
    name: 'aggregator_pending_windows_limit',
    help: 'MAX_PENDING_WINDOWS: pending windows at which reading pauses until MySQL catches up',
    registers: [this.registry],
  });

  readonly lastWindowWritten = new Gauge({
    name: 'aggregator_window_last_written_timestamp_seconds',
    help: 'Wall-clock time of the last commit to MySQL that held a closed window of the symbol',
    labelNames: ['symbol'],
    registers: [this.registry],
  });

  readonly ready = new ReadinessGauge(this.registry, 'aggregator_ready');

  readonly flushSeconds = new Histogram({
    name: 'aggregator_flush_duration_seconds',
    help: 'Duration of one MySQL transaction writing windows and progress',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly closeToVisibleSeconds = new Summary({
    name: 'aggregator_window_close_to_visible_seconds',
    help: 'Delay from a window closing in the engine to its row being committed in MySQL (last 10 minutes)',
    percentiles: [0.5, 0.9, 0.99],
    maxAgeSeconds: 600,
    ageBuckets: 5,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
