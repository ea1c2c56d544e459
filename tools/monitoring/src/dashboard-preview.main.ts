/**
 * `npm run monitoring:preview -- [DASHBOARD] [OUT.png]`: a picture of a Grafana dashboard of
 * deploy/grafana/dashboards (default pipeline.json) drawn from its own queries against a running
 * Prometheus (PROMETHEUS_URL, default http://127.0.0.1:9090: the one `npm run live` starts) over
 * the last PREVIEW_MINUTES (default 15), screenshotted in Debian's chromium to OUT.png (default
 * .local/grafana-preview.png). Grafana itself is not needed, and not run.
 */
import { launchChromium } from '@cryptostream/testing';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { dashboards } from './grafana-dashboards';
import { panelSeries, prometheusRangeQuery } from './panel-series';
import { previewHtml } from './preview-html';

const ROOT = join(__dirname, '../../..');
/** Points per panel: Grafana asks for about one per pixel column; a preview needs far fewer. */
const POINTS = 240;

async function main(): Promise<void> {
  const [file = 'pipeline.json', out = join(ROOT, '.local/grafana-preview.png')] = process.argv.slice(2);
  const dashboard = dashboards().get(file);
  if (!dashboard) throw new Error(`no dashboard ${file} in deploy/grafana/dashboards (there: ${[...dashboards().keys()].join(', ')})`);
  const url = process.env['PROMETHEUS_URL'] ?? 'http://127.0.0.1:9090';
  const minutes = Number(process.env['PREVIEW_MINUTES'] ?? 15);
  if (!(minutes > 0)) throw new Error(`PREVIEW_MINUTES must be a positive number of minutes, not ${process.env['PREVIEW_MINUTES']}`);
  const endS = Math.floor(Date.now() / 1000);
  const range = { startS: endS - minutes * 60, endS, stepS: Math.max(1, Math.round((minutes * 60) / POINTS)) };
  const ready = await fetch(`${url}/-/ready`).then((response) => response.ok, (error: Error) => error.message);
  if (ready !== true) throw new Error(`no Prometheus answers at ${url} (PROMETHEUS_URL)${ready === false ? '' : `: ${ready}`}; \`npm run live\` or \`bash scripts/prometheus.sh start\` starts one`);
  const panels = await panelSeries(dashboard, prometheusRangeQuery(url), range);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1616, height: 900 } });
    await page.setContent(previewHtml(dashboard.title, panels, range));
    mkdirSync(dirname(resolve(out)), { recursive: true });
    await page.screenshot({ path: out, fullPage: true });
  } finally {
    await browser.close();
  }
  const drawn = panels.filter(({ panel }) => panel.type !== 'row');
  const withData = drawn.filter(({ series }) => series.some((one) => one.points.length > 0)).length;
  const failed = panels.filter(({ error }) => error !== undefined);
  process.stdout.write(`monitoring:preview: ${dashboard.title}, last ${minutes} min from ${url}: ${withData} of ${drawn.length} panels with data → ${out}\n`);
  for (const { panel, error } of failed) process.stderr.write(`monitoring:preview: "${panel.title}": ${error}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`monitoring:preview: ${error.message}\n`);
  process.exitCode = 1;
});
