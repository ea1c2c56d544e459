import { AppProcess } from '@cryptostream/app-launcher';
import { sleep } from '@cryptostream/service-runtime';
import { prometheusConfig } from '@cryptostream/testing';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');

/**
 * Prometheus for `npm run live` (scripts/prometheus.sh: Debian's package, Alertmanager beside
 * it) with deploy/prometheus/prometheus.yml's jobs and alerts, pointed at the ports the apps got;
 * resolves once Prometheus has scraped every one of them, with what to print.
 */
export async function startLivePrometheus(apps: readonly AppProcess[], logDir: string, port: number, timeoutMs = 60_000): Promise<string> {
  const config = join(logDir, 'prometheus.yml');
  writeFileSync(config, prometheusConfig({
    jobs: Object.fromEntries(apps.map((app) => [app.name, [`127.0.0.1:${app.port}`]])),
    ruleFiles: [join(ROOT, 'deploy/prometheus/alerts.yml')],
    alertmanagers: ['127.0.0.1:9193'],
  }));
  execFileSync('bash', [join(ROOT, 'scripts/prometheus.sh'), 'start'], { env: { ...process.env, PROMETHEUS_CONFIG: config, PROMETHEUS_PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  let health: string[] = [];
  while (Date.now() < deadline) {
    const response = await fetch(`${url}/api/v1/targets`).then((answer) => answer.json() as Promise<{ data: { activeTargets: { labels: { job: string }; health: string }[] } }>, () => undefined);
    health = (response?.data.activeTargets ?? []).map((target) => `${target.labels.job} ${target.health}`);
    if (health.length === apps.length && health.every((line) => line.endsWith(' up'))) return `${url}/targets (${apps.length} targets up; alerts: ${url}/alerts, Alertmanager: http://127.0.0.1:9193/)`;
    await sleep(500);
  }
  throw new Error(`Prometheus at ${url} did not scrape every app within ${timeoutMs} ms: ${health.join(', ') || 'no targets'}`);
}
