import { ReadinessGauge } from '@cryptostream/service-runtime';
import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The archiver's Prometheus metrics, on a registry of its own (not the global one). */
@Injectable()
export class ArchiverMetrics {
  readonly registry = new Registry();

  readonly consumed = new Counter({
    name: 'archiver_records_consumed_total',
    help: 'Records read from the archived topics',
    labelNames: ['topic'],
    registers: [this.registry],
  });

  readonly skipped = new Counter({
    name: 'archiver_records_skipped_total',
    help: 'Records the lake does not keep: source-progress records, invalid prices (dead-lettered by the aggregator, archived from there), open window updates, records whose schema id the archiver cannot read (schema-id)',
    labelNames: ['topic', 'reason'],
    registers: [this.registry],
  });

  readonly rows = new Counter({
    name: 'archiver_rows_committed_total',
    help: 'Rows in committed lake files',
    labelNames: ['dataset'],
    registers: [this.registry],
  });

  readonly files = new Counter({
    name: 'archiver_files_committed_total',
    help: 'Parquet files committed to the manifest',
    labelNames: ['dataset'],
    registers: [this.registry],
  });

  readonly bytes = new Counter({
    name: 'archiver_bytes_committed_total',
    help: 'Bytes of committed Parquet files',
    labelNames: ['dataset'],
    registers: [this.registry],
  });

  readonly fenced = new Counter({
    name: 'archiver_commits_fenced_total',
    help: 'Commits refused because the stored progress had moved (another archiver owns the partition); their files were removed',
    registers: [this.registry],
  });

  readonly removedAtStart = new Counter({
    name: 'archiver_uncommitted_files_removed_total',
    help: 'Files on disk that the manifest does not list (written before a crash), removed at start',
    registers: [this.registry],
  });

  readonly commitSeconds = new Histogram({
    name: 'archiver_commit_seconds',
    help: 'Time to write, sync, rename and commit one partition\'s buffered rows',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly buffered = new Gauge({
    name: 'archiver_buffered_rows',
    help: 'Rows read but not yet in a committed file',
    registers: [this.registry],
  });

  readonly lag = new Gauge({
    name: 'archiver_partition_lag',
    help: 'Records behind the partition\'s high watermark after the last batch',
    labelNames: ['topic', 'partition'],
    registers: [this.registry],
  });

  readonly ready = new ReadinessGauge(this.registry, 'archiver_ready');

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
