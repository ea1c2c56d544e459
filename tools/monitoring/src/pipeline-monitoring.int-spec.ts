import { FakeBinance, startFakeBinance } from '@cryptostream/binance-fake';
import { provisionRoleUser, roleUser } from '@cryptostream/persistence';
import {
  AppName, AppProcess, createTestTopics, ensureKafka, freePort, freePortIn, PrivateMariadb, PrivatePrometheus, prometheusConfig, randomName, RECORDINGS, sleep, TEST_KAFKA_BROKERS, waitFor,
} from '@cryptostream/testing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection, createConnection, RowDataPacket } from 'mysql2/promise';
import YAML from 'yaml';
import { dashboardQueries, dashboards, expandPromql, expandSql } from './grafana-dashboards';
import { alertRules, PROMETHEUS_DIR, runTool } from './monitoring-files';
import { panelSeries, prometheusRangeQuery } from './panel-series';
import { previewHtml } from './preview-html';
import { promqlNames } from './promql-names';

/** The private MariaDB that the test stops takes a free port of this suite's range. */
const MARIADB_PORTS = [13450, 13499] as const;
const SYMBOL = 'TRXUSDT';
const APPS: readonly AppName[] = ['ingestor', 'aggregator', 'api', 'archiver'];

/**
 * CryptostreamWindowsStalled as alerts.yml has it, on a shorter clock. The real rule waits 180 s
 * without a window and then 2 minutes (`for:`), and rates over 5 minutes: over 5 minutes of a
 * test. Prometheus's clock cannot be sped up (the rule compares with time()), so the test runs
 * the same expression — same metrics, labels, joins and set operators, read from alerts.yml —
 * with its three durations scaled down to fit windows of 1 s: no window for 10 s, for 3 s, rates
 * over 30 s. promtool's unit tests (alerts.test.yml) prove the real thresholds; this proves the
 * expression fires on the running apps when MySQL goes away, and resolves once it is back.
 */
const STALE_S = 10;
function scaledStallRule() {
  const rule = alertRules().find((one) => one.alert === 'CryptostreamWindowsStalled')!;
  const expr = rule.expr.replace('> 180', `> ${STALE_S}`).replaceAll('[5m]', '[30s]');
  if (expr.includes('180') || expr.includes('[5m]') || rule.for !== '2m') throw new Error(`CryptostreamWindowsStalled changed; rescale it here: ${rule.expr}`);
  return { ...rule, expr, for: '3s', labels: { ...rule.labels, scaled: 'true' } };
}

/** An exported metric: whether the scrape had a sample of it, and the labels its samples carry. */
interface Family {
  sampled: boolean;
  readonly labels: Set<string>;
}

/** Metric families, from one app's /metrics text (into `families`, merged with other apps'). */
function addExported(families: Map<string, Family>, text: string): void {
  const family = (name: string) => families.get(name) ?? families.set(name, { sampled: false, labels: new Set() }).get(name)!;
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) {
      family(type[1]);
      for (const suffix of type[2] === 'histogram' ? ['_bucket', '_sum', '_count'] : type[2] === 'summary' ? ['_sum', '_count'] : []) family(type[1] + suffix);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? /.exec(line);
    if (!sample) continue;
    const one = family(sample[1]);
    one.sampled = true;
    for (const match of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)) one.labels.add(match[1]);
  }
}

describe('monitoring the running pipeline (apps as processes, real Prometheus, a MariaDB that stops)', () => {
  const logDir = mkdtempSync(join(tmpdir(), 'cryptostream-monitoring-'));
  const database = randomName('cryptostream_monitoring');
  let mariadb: PrivateMariadb;
  let fake: FakeBinance;
  let topics: Awaited<ReturnType<typeof createTestTopics>>;
  let prometheus: PrivatePrometheus;
  const apps = new Map<AppName, AppProcess>();
  let reader: Connection;
  let firstWindowAt = 0;

  const explain = async () => {
    const tails = await Promise.all([...apps.values()].map(async (app) => `--- ${app.name}\n${await app.logTail(8)}`));
    return `${tails.join('\n')}\n--- prometheus\n${prometheus?.logTail(8) ?? ''}`;
  };
  const stallAlerts = async () => (await prometheus.alerts()).filter((alert) => alert.labels['alertname'] === 'CryptostreamWindowsStalled' && alert.labels['scaled'] === 'true');

  beforeAll(async () => {
    ensureKafka();
    [mariadb, topics, fake] = await Promise.all([
      freePortIn(...MARIADB_PORTS).then((port) => PrivateMariadb.create(port)),
      createTestTopics(['prices', 'dlq', 'windows']),
      startFakeBinance({ recordings: [{ file: RECORDINGS.TRXUSDT }], speed: 1, timeline: 'now' }),
    ]);
    const shared = {
      KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','),
      KAFKA_TOPIC: topics.topics['prices'],
      KAFKA_DLQ_TOPIC: topics.topics['dlq'],
      KAFKA_WINDOWS_TOPIC: topics.topics['windows'],
      MYSQL_URL: mariadb.url(database),
      WINDOW_SIZES: '1s,1m',
    };
    // Each port is taken right before its app starts: a port found free long before may be taken by then.
    const start = async (name: AppName, env: Record<string, string>) => apps.set(name, AppProcess.start(name, await freePort(), { ...shared, ...env }, logDir)).get(name)!;
    // The aggregator (with the ingestor, which needs no MySQL) first: it creates the database and its tables, which the others read.
    const aggregator = await start('aggregator', { KAFKA_GROUP_ID: randomName('monitoring-aggregator') });
    const ingestor = await start('ingestor', { INGESTOR_SOURCE: 'ws', SYMBOLS: SYMBOL, BINANCE_REST_URL: fake.restUrl, BINANCE_WS_URL: fake.wsUrl, BINANCE_DAPI_URL: fake.restUrl });
    await aggregator.waitReady(120_000);
    await start('api', { INGESTOR_URL: `http://127.0.0.1:${ingestor.port}`, AGGREGATOR_URL: `http://127.0.0.1:${aggregator.port}` });
    await start('archiver', { KAFKA_GROUP_ID: randomName('monitoring-archiver'), LAKE_DIR: join(logDir, 'lake') });

    writeFileSync(join(logDir, 'stall.scaled.yml'), YAML.stringify({ groups: [{ name: 'scaled', rules: [scaledStallRule()] }] }));
    prometheus = await PrivatePrometheus.start(prometheusConfig({
      jobs: Object.fromEntries(APPS.map((name) => [name, [`127.0.0.1:${apps.get(name)!.port}`]])),
      ruleFiles: [join(PROMETHEUS_DIR, 'alerts.yml'), join(logDir, 'stall.scaled.yml')],
      scrapeInterval: '1s',
      evaluationInterval: '1s',
    }));
    await Promise.all([...apps.values()].map((app) => app.waitReady(120_000)));
    await waitFor(`a window of ${SYMBOL} in Prometheus`, async () => (await prometheus.query(`aggregator_window_last_written_timestamp_seconds{symbol="${SYMBOL}"}`)).length > 0, { timeoutMs: 120_000, everyMs: 250, explain });
    firstWindowAt = Date.now();

    // Grafana's MySQL data source reads as the reader role (SELECT only), made as scripts/mysql.sh users makes it.
    const admin = await createConnection(mariadb.url(database));
    await provisionRoleUser(admin, database, { role: 'reader', user: roleUser('reader'), password: 'read-only', requireSsl: false });
    await admin.end();
    reader = await createConnection({ host: '127.0.0.1', port: mariadb.port, user: roleUser('reader'), password: 'read-only', database });
  }, 300_000);

  afterAll(async () => {
    await reader?.end().catch(() => undefined);
    await Promise.all([...apps.values()].map((app) => app.stop()));
    await prometheus?.stop();
    await fake?.close();
    await topics?.dispose();
    await mariadb?.destroy();
    rmSync(logDir, { recursive: true, force: true });
  }, 60_000);

  it('scrapes every app, all up and ready, and evaluates every rule of alerts.yml without an error', async () => {
    await waitFor('every target up', async () => (await prometheus.targets()).every((target) => target.health === 'up'), { timeoutMs: 30_000, everyMs: 250, explain });
    expect((await prometheus.targets()).map((target) => target.job).sort()).toEqual([...APPS].sort());
    const readiness = async () => Promise.all(APPS.map(async (name) => `${name} ${(await prometheus.query(`${name}_ready`)).map((sample) => sample.value[1]).join(',')}`));
    await waitFor('every app ready in Prometheus', async () => (await readiness()).every((line) => line.endsWith(' 1')), { timeoutMs: 30_000, everyMs: 250, explain: async () => (await readiness()).join('\n') });
    const groups = await prometheus.api<{ groups: { file: string; rules: { name: string; health: string; lastError?: string }[] }[] }>('rules');
    const real = groups.groups.filter((group) => group.file.endsWith('alerts.yml')).flatMap((group) => group.rules);
    expect(real.map((rule) => rule.name).sort()).toEqual(alertRules().map((rule) => rule.alert).sort());
    await waitFor('every rule evaluated', async () => {
      const rules = (await prometheus.api<{ groups: { rules: { health: string }[] }[] }>('rules')).groups.flatMap((group) => group.rules);
      return rules.every((rule) => rule.health !== 'unknown');
    }, { timeoutMs: 30_000, everyMs: 250 });
    const evaluated = (await prometheus.api<typeof groups>('rules')).groups.flatMap((group) => group.rules);
    expect(evaluated.filter((rule) => rule.health !== 'ok')).toEqual([]);
  });

  it('parses every PromQL expression of the dashboards and rules (promtool), and each names only metrics and labels the apps export', async () => {
    // Labelled counters show samples (so labels to compare) once they count: some hostile
    // frames, a dropped stream and a 429 on the gap fill that follows make the ingestor's count.
    const ingestorMetrics = () => fetch(`http://127.0.0.1:${apps.get('ingestor')!.port}/metrics`).then((response) => response.text());
    fake.hub.sendHostileFrames(3);
    fake.failNextRequests(429, 1, 1);
    fake.hub.dropConnections();
    await waitFor('the ingestor to count dead letters, reconnects and a 429', async () => {
      const text = await ingestorMetrics();
      return ['ingestor_invalid_total{', 'ingestor_reconnects_total{', 'ingestor_rate_limited_total{'].every((sample) => text.includes(`\n${sample}`));
    }, { timeoutMs: 60_000, everyMs: 250, explain });
    const families = new Map<string, Family>();
    for (const app of apps.values()) addExported(families, await (await fetch(`http://127.0.0.1:${app.port}/metrics`)).text());
    const expressions = [
      ...dashboardQueries().filter((query) => query.kind === 'prometheus').map((query) => ({ where: query.where, expr: expandPromql(query.text) })),
      ...alertRules().map((rule) => ({ where: `alerts.yml ${rule.alert}`, expr: rule.expr })),
    ];
    const dir = mkdtempSync(join(tmpdir(), 'cryptostream-promql-'));
    const records = expressions.map((one, index) => ({ record: `cryptostream_check:expression_${index}`, expr: one.expr }));
    writeFileSync(join(dir, 'expressions.yml'), YAML.stringify({ groups: [{ name: 'dashboards-and-rules', rules: records }] }));
    const check = await runTool('promtool', ['check', 'rules', 'expressions.yml'], dir);
    rmSync(dir, { recursive: true, force: true });
    expect({ code: check.code, output: check.output }).toEqual({ code: 0, output: expect.stringContaining(`SUCCESS: ${records.length} rules found`) });

    const scrapeLabels = new Set(['job', 'instance']);
    const problems: string[] = [];
    let unobserved = 0;
    const unobservedNames = new Set<string>();
    for (const { where, expr } of expressions) {
      const { metrics, groupingLabels } = promqlNames(expr);
      const seen = new Set(scrapeLabels);
      let anyUnobserved = false;
      for (const [metric, labels] of metrics) {
        if (metric === 'up') {
          for (const label of labels) if (!scrapeLabels.has(label)) problems.push(`${where}: up has no label ${label}`);
          continue;
        }
        const family = families.get(metric);
        if (!family) {
          problems.push(`${where}: no app exports ${metric}`);
          continue;
        }
        // A labelled metric that has not counted anything yet shows no sample, so no labels to compare.
        if (!family.sampled) anyUnobserved = true;
        for (const label of family.labels) seen.add(label);
        for (const label of labels) if (family.sampled && !family.labels.has(label) && !scrapeLabels.has(label)) problems.push(`${where}: ${metric} has no label ${label}`);
      }
      if (anyUnobserved) {
        unobserved++;
        unobservedNames.add([...metrics.keys()].filter((metric) => families.get(metric)?.sampled === false).join(' '));
      }
      for (const label of groupingLabels) if (!seen.has(label) && !anyUnobserved) problems.push(`${where}: groups by ${label}, which none of its metrics carries`);
    }
    expect(problems).toEqual([]);
    expect([...unobservedNames]).toEqual([]);
    console.log(`measured: ${expressions.length} expressions checked against ${families.size} exported metric families, ${unobserved} with a metric that has no sample`);
  });

  it('answers every PromQL expression of the dashboards on the live data without an error', async () => {
    for (const query of dashboardQueries().filter((one) => one.kind === 'prometheus')) {
      await expect(prometheus.query(expandPromql(query.text)).then(() => query.where)).resolves.toBe(query.where);
    }
    // A rate needs two scrapes of the symbol's counter within its range: the first may be recent.
    const rate = expandPromql('sum by (symbol) (rate(ingestor_published_total[$__rate_interval]))');
    const rates = await waitFor('two scrapes of ingestor_published_total', async () => {
      const samples = await prometheus.query(rate);
      return samples.length > 0 && samples;
    }, { timeoutMs: 30_000, everyMs: 250 });
    expect(rates.map((sample) => sample.metric['symbol'])).toEqual([SYMBOL]);
  });

  it("draws the pipeline dashboard's preview (npm run monitoring:preview) from the live series: every panel, none refused", async () => {
    const drawn = ['Apps up and ready', 'Trades published by the ingestor', 'Messages consumed and windows written by the aggregator'];
    // A rate has points once two scrapes are in its range: the first ones may be seconds old.
    const { panels, range } = await waitFor('two scrapes in the preview\'s range', async () => {
      const endS = Math.ceil(Date.now() / 1000);
      const range = { startS: endS - 60, endS, stepS: 1 };
      const panels = await panelSeries(dashboards().get('pipeline.json')!, prometheusRangeQuery(prometheus.url), range);
      const withData = (title: string) => panels.find(({ panel }) => panel.title === title)!.series.some((series) => series.points.length > 1);
      return drawn.every(withData) && { panels, range };
    }, { timeoutMs: 30_000, everyMs: 500 });
    expect(panels.filter((one) => one.error !== undefined).map(({ panel, error }) => `${panel.title}: ${error}`)).toEqual([]);
    const html = previewHtml('cryptostream: pipeline', panels, range);
    for (const { panel } of panels) expect(html).toContain(panel.title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  });

  it("runs every SQL query of the dashboards against moving_averages as the reader role (SELECT only), each returning rows", async () => {
    const nowS = Math.ceil(Date.now() / 1000);
    const variables = { symbol: SYMBOL, interval: '1s' };
    for (const query of dashboardQueries().filter((one) => one.kind === 'mysql')) {
      const sql = expandSql(query.text, variables, nowS - 3600, nowS + 60);
      const [rows] = await reader.query<RowDataPacket[]>(sql);
      expect({ where: query.where, rows: rows.length > 0 }).toEqual({ where: query.where, rows: true });
    }
    const [symbols] = await reader.query<RowDataPacket[]>(expandSql(dashboardQueries().find((one) => one.where.endsWith('variable $symbol'))!.text, variables, 0, 0));
    expect(symbols.map((row) => row['symbol'])).toContain(SYMBOL);
    await expect(reader.query('DELETE FROM moving_averages')).rejects.toThrow(/DELETE command denied/);
  });

  it(`fires CryptostreamWindowsStalled when MySQL stops (no window for ${STALE_S} s, for 3 s), with the aggregator unready, and resolves it once MySQL is back`, async () => {
    // Healthy for longer than the stall threshold and its for: the alert must not have fired.
    await sleep(Math.max(0, firstWindowAt + (STALE_S + 5) * 1000 - Date.now()));
    expect(await stallAlerts()).toEqual([]);

    const stoppedAt = Date.now();
    await mariadb.stop();
    const firing = await waitFor('the stall alert to fire', async () => (await stallAlerts()).find((alert) => alert.state === 'firing'), { timeoutMs: 120_000, everyMs: 250, explain });
    const firedAfterS = (Date.now() - stoppedAt) / 1000;
    expect(firing.labels).toEqual({ alertname: 'CryptostreamWindowsStalled', severity: 'critical', symbol: SYMBOL, scaled: 'true' });
    expect(firing.annotations['summary']).toBe(`no window of ${SYMBOL} written to MySQL although it trades`);
    // Pending from the moment the last window was STALE_S old: never before MySQL stopped.
    expect(Date.parse(firing.activeAt)).toBeGreaterThan(stoppedAt + (STALE_S - 3) * 1000);

    const aggregatorReady = async () => (await prometheus.query('aggregator_ready')).map((sample) => sample.value[1]).join();
    await waitFor('aggregator_ready 0 while MySQL is away', async () => (await aggregatorReady()) === '0', { timeoutMs: 30_000, everyMs: 250, explain: aggregatorReady });

    const restartedAt = Date.now();
    await mariadb.start();
    await waitFor('the stall alert to resolve', async () => (await stallAlerts()).length === 0, { timeoutMs: 120_000, everyMs: 250, explain });
    await waitFor('aggregator_ready 1 again', async () => (await aggregatorReady()) === '1', { timeoutMs: 30_000, everyMs: 250, explain: aggregatorReady });
    console.log(`measured: stall alert firing ${firedAfterS.toFixed(1)} s after MySQL stopped (threshold ${STALE_S} s + for 3 s), resolved ${((Date.now() - restartedAt) / 1000).toFixed(1)} s after it was back`);
  }, 300_000);
});
