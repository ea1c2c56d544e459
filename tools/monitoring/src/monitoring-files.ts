import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';

export const ROOT = join(__dirname, '../../..');
export const PROMETHEUS_DIR = join(ROOT, 'deploy/prometheus');
export const GRAFANA_DIR = join(ROOT, 'deploy/grafana');
export const MONITORING_DOC = join(ROOT, 'docs/monitoring.md');

/** One rule of a Prometheus rule file, as far as the checks read it. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

export interface RuleGroup {
  readonly name: string;
  readonly rules: AlertRule[];
}

/** The groups of deploy/prometheus/alerts.yml. */
export function alertGroups(): RuleGroup[] {
  return (YAML.parse(readFileSync(join(PROMETHEUS_DIR, 'alerts.yml'), 'utf8')) as { groups: RuleGroup[] }).groups;
}

/** Every alert rule of deploy/prometheus/alerts.yml. */
export function alertRules(): AlertRule[] {
  return alertGroups().flatMap((group) => group.rules);
}

/** Runs promtool or amtool (Debian's, installed by scripts/prometheus.sh); never rejects. */
export function runTool(tool: 'promtool' | 'amtool', args: readonly string[], cwd = PROMETHEUS_DIR): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(tool, args, { cwd, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}
