import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { freePort } from '@cryptostream/app-launcher';

/** What a Prometheus configuration says, as far as cryptostream sets it. */
export interface PrometheusConfigOptions {
  /** Scrape targets (`host:port`) by job name, e.g. `{ aggregator: ['127.0.0.1:3002'] }`. */
  readonly jobs: Readonly<Record<string, readonly string[]>>;
  /** Rule files, absolute paths. */
  readonly ruleFiles?: readonly string[];
  readonly scrapeInterval?: string;
  readonly evaluationInterval?: string;
  /** Alertmanagers (`host:port`) to send alerts to. */
  readonly alertmanagers?: readonly string[];
}

/**
 * A Prometheus configuration shaped like deploy/prometheus/prometheus.yml (one static job per
 * app), for other ports and intervals: `npm run live` and tests scrape apps on ports of their own.
 */
export function prometheusConfig(options: PrometheusConfigOptions): string {
  const config: Record<string, unknown> = {
    global: { scrape_interval: options.scrapeInterval ?? '15s', evaluation_interval: options.evaluationInterval ?? '15s', external_labels: { system: 'cryptostream' } },
    rule_files: options.ruleFiles ?? [],
    scrape_configs: Object.entries(options.jobs).map(([job, targets]) => ({ job_name: job, static_configs: [{ targets }] })),
  };
  if (options.alertmanagers?.length) config['alerting'] = { alertmanagers: [{ static_configs: [{ targets: options.alertmanagers }] }] };
  return YAML.stringify(config);
}

/** One alert as `GET /api/v1/alerts` lists it. */
export interface PrometheusAlert {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly state: 'pending' | 'firing';
  readonly activeAt: string;
}

/** One sample of an instant vector. */
export interface VectorSample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

/**
 * A Prometheus server of the test's own (Debian's `prometheus`, installed by
 * scripts/prometheus.sh): own port, own data directory, own configuration; deleted on `stop()`.
 */
export class PrivatePrometheus {
  readonly #dir: string;
  #server: ChildProcess | undefined;

  private constructor(readonly port: number, dir: string) {
    this.#dir = dir;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get logFile(): string {
    return join(this.#dir, 'prometheus.log');
  }

  /** Starts Prometheus with `config` (YAML text) and waits until it is ready. */
  static async start(config: string, timeoutMs = 60_000): Promise<PrivatePrometheus> {
    const dir = mkdtempSync(join(tmpdir(), 'cryptostream-prometheus-'));
    writeFileSync(join(dir, 'prometheus.yml'), config);
    const prometheus = new PrivatePrometheus(await freePort(), dir);
    const log = createWriteStream(prometheus.logFile);
    prometheus.#server = spawn('prometheus', [
      `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${prometheus.port}`,
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    prometheus.#server.stdout?.pipe(log);
    prometheus.#server.stderr?.pipe(log);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (prometheus.#server.exitCode !== null) throw new Error(`prometheus exited with code ${prometheus.#server.exitCode}:\n${prometheus.logTail()}`);
      const ready = await fetch(`${prometheus.url}/-/ready`).then((response) => response.ok, () => false);
      if (ready) return prometheus;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await prometheus.stop();
    throw new Error(`prometheus was not ready within ${timeoutMs} ms`);
  }

  /** `GET /api/v1/<path>`'s `data`; throws with Prometheus's error otherwise. */
  async api<T>(path: string, params: Record<string, string> = {}): Promise<T> {
    const response = await fetch(`${this.url}/api/v1/${path}?${new URLSearchParams(params)}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${path} ${JSON.stringify(params)}: ${body.error}`);
    return body.data;
  }

  /** The instant vector of `expr` now. */
  async query(expr: string): Promise<VectorSample[]> {
    const data = await this.api<{ resultType: string; result: VectorSample[] }>('query', { query: expr });
    return data.resultType === 'vector' ? data.result : [];
  }

  async alerts(): Promise<PrometheusAlert[]> {
    return (await this.api<{ alerts: PrometheusAlert[] }>('alerts')).alerts;
  }

  /** Each scrape target's job and health (`up`, `down`, `unknown`). */
  async targets(): Promise<{ job: string; health: string; lastError: string }[]> {
    const data = await this.api<{ activeTargets: { labels: Record<string, string>; health: string; lastError: string }[] }>('targets');
    return data.activeTargets.map((target) => ({ job: target.labels['job'], health: target.health, lastError: target.lastError }));
  }

  logTail(lines = 20): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
