import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { alertRules, MONITORING_DOC, PROMETHEUS_DIR, runTool } from './monitoring-files';

interface RuleTest {
  readonly alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[];
}

/**
 * deploy/prometheus checked by Prometheus's own tools (Debian's prometheus 2.42 and
 * prometheus-alertmanager, installed by scripts/prometheus.sh from jest.global-setup.js).
 */
describe('deploy/prometheus', () => {
  const alerts = alertRules();

  it('has a valid prometheus.yml whose rule files are valid too (promtool check config)', async () => {
    const { code, output } = await runTool('promtool', ['check', 'config', 'prometheus.yml']);
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('SUCCESS: 1 rule files found') });
  });

  it(`has valid alert rules (promtool check rules): ${alerts.length} of them`, async () => {
    const { code, output } = await runTool('promtool', ['check', 'rules', 'alerts.yml']);
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining(`SUCCESS: ${alerts.length} rules found`) });
  });

  it('and promtool refuses a rule file with a broken expression (the check can fail)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cryptostream-rules-'));
    writeFileSync(join(dir, 'broken.yml'), YAML.stringify({ groups: [{ name: 'g', rules: [{ alert: 'Broken', expr: 'sum by (job (up)' }] }] }));
    const { code, output } = await runTool('promtool', ['check', 'rules', 'broken.yml'], dir);
    expect(code).not.toBe(0);
    expect(output).toMatch(/parse error/);
  });

  it('fires every alert on the series that should fire it and stays silent on the others (promtool test rules)', async () => {
    const { code, output } = await runTool('promtool', ['test', 'rules', 'alerts.test.yml']);
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('SUCCESS') });
  });

  it('tests each alert at least once firing and once silent', () => {
    const tests = (YAML.parse(readFileSync(join(PROMETHEUS_DIR, 'alerts.test.yml'), 'utf8')) as { tests: RuleTest[] }).tests;
    const cases = tests.flatMap((test) => test.alert_rule_test ?? []);
    const coverage = alerts.map(({ alert }) => ({
      alert,
      fires: cases.some((one) => one.alertname === alert && (one.exp_alerts ?? []).length > 0),
      silent: cases.some((one) => one.alertname === alert && (one.exp_alerts ?? []).length === 0),
    }));
    expect(coverage).toEqual(alerts.map(({ alert }) => ({ alert, fires: true, silent: true })));
  });

  it('gives every alert a severity, a summary and a runbook entry in docs/monitoring.md (what it means, what to check, what to do)', () => {
    const doc = readFileSync(MONITORING_DOC, 'utf8');
    for (const rule of alerts) {
      expect({ alert: rule.alert, severity: rule.labels?.['severity'] }).toEqual({ alert: rule.alert, severity: expect.stringMatching(/^(critical|warning)$/) });
      expect(rule.annotations?.['summary']).toBeTruthy();
      expect(rule.annotations?.['runbook_url']).toBe(`docs/monitoring.md#${rule.alert.toLowerCase()}`);
      const entry = doc.split(/^### /m).find((section) => section.startsWith(`${rule.alert}\n`));
      expect({ alert: rule.alert, entry: entry !== undefined }).toEqual({ alert: rule.alert, entry: true });
      for (const part of ['What it means', 'What to check', 'What to do']) expect({ alert: rule.alert, part, present: entry!.includes(`**${part}**`) }).toEqual({ alert: rule.alert, part, present: true });
    }
  });

  it('has a valid alertmanager.yml (amtool check-config)', async () => {
    const { code, output } = await runTool('amtool', ['check-config', 'alertmanager.yml']);
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('SUCCESS') });
  });
});
