import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { appNames, appSettings } from './app-settings';
import { find, K8S_DIR, K8sObject, readKustomization, readManifests } from './k8s-manifests';

/**
 * deploy/k8s checked without a cluster: a hardened, probed Deployment per app whose settings
 * are ones the app reads, the ingestor single and recreated, the aggregator within the
 * partition count and covered by a disruption budget, the API behind a Service.
 */
describe('deploy/k8s manifests', () => {
  const { resources, objects } = readManifests();
  const deployments = objects.filter((object) => object.kind === 'Deployment');
  const config = find(objects, 'ConfigMap', 'cryptostream-config').data!;

  it('lists every file of the folder in kustomization.yaml', () => {
    const files = readdirSync(K8S_DIR).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml');
    expect([...resources].sort()).toEqual(files.sort());
  });

  it('has a Deployment per app', () => {
    expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual(expect.arrayContaining(appNames().sort()));
  });

  describe.each(appNames())('the %s Deployment', (app) => {
    const deployment = () => find(objects, 'Deployment', app);
    const pod = () => deployment().spec.template.spec;
    const container = () => pod().containers[0];
    const port = () => container().ports[0].containerPort as number;

    it('probes start-up and liveness on /health/live and readiness on /health/ready, on the port the app listens on', () => {
      const { startupProbe, livenessProbe, readinessProbe, env } = container();
      expect([startupProbe, livenessProbe, readinessProbe].map((probe) => probe.httpGet)).toEqual([
        { path: '/health/live', port: port() }, { path: '/health/live', port: port() }, { path: '/health/ready', port: port() },
      ]);
      expect(env).toContainEqual({ name: 'HTTP_PORT', value: String(port()) });
    });

    it('is scraped by Prometheus on the port and path of its metrics (prometheus.io annotations)', () => {
      expect(deployment().spec.template.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port()), 'prometheus.io/path': '/metrics' });
    });

    it('requests and limits CPU and memory', () => {
      const { requests, limits } = container().resources;
      expect(Object.keys(requests).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(limits).sort()).toEqual(['cpu', 'memory']);
    });

    it('runs as a non-root user on a read-only root filesystem with every capability dropped', () => {
      expect(pod().securityContext).toMatchObject({ runAsNonRoot: true });
      expect(pod().securityContext.runAsUser).toBeGreaterThan(0);
      expect(container().securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    });

    it('takes its settings from ConfigMaps and MYSQL_URL only from a Secret, all of them settings it reads', () => {
      const known = appSettings(app);
      const names = [...(container().env ?? []).map((entry: { name: string }) => entry.name)];
      for (const source of container().envFrom ?? []) names.push(...Object.keys(find(objects, 'ConfigMap', source.configMapRef.name).data ?? {}));
      const own = names.filter((name) => known.has(name));
      // A shared ConfigMap may carry settings of other apps; the app must read most of what it gets.
      expect(names.filter((name) => !known.has(name) && !Object.keys(config).includes(name))).toEqual([]);
      expect(own.length).toBeGreaterThan(0);
      for (const entry of container().env ?? []) {
        if (entry.name === 'MYSQL_URL') {
          expect(entry.valueFrom.secretKeyRef.key).toBe('MYSQL_URL');
          const secret = find(objects, 'Secret', entry.valueFrom.secretKeyRef.name);
          expect(Object.keys({ ...secret.data, ...secret.stringData })).toContain('MYSQL_URL');
        }
      }
      expect(Object.keys(config)).not.toContain('MYSQL_URL');
    });
  });

  it('gives every key of the shared ConfigMap to an app that reads it', () => {
    const read = new Set(appNames().flatMap((app) => [...appSettings(app)]));
    expect(Object.keys(config).filter((key) => !read.has(key))).toEqual([]);
  });

  it('replicates the topics on a cluster: 3 copies, 2 in sync', () => {
    expect(config).toMatchObject({ KAFKA_REPLICATION_FACTOR: '3', KAFKA_MIN_INSYNC_REPLICAS: '2' });
  });

  it('runs one ingestor per symbol set, replaced with Recreate (never two at once)', () => {
    const ingestor = find(objects, 'Deployment', 'ingestor');
    expect(ingestor.spec.replicas).toBe(1);
    expect(ingestor.spec.strategy.type).toBe('Recreate');
  });

  it('runs no more aggregators than partitions, under a PodDisruptionBudget', () => {
    const aggregator = find(objects, 'Deployment', 'aggregator');
    expect(aggregator.spec.replicas).toBeGreaterThan(1);
    expect(aggregator.spec.replicas).toBeLessThanOrEqual(Number(config['KAFKA_TOPIC_PARTITIONS']));
    const budgets = objects.filter((object) => object.kind === 'PodDisruptionBudget' && selects(object.spec.selector.matchLabels, aggregator));
    expect(budgets).toHaveLength(1);
  });

  it('puts the API behind a Service on its port', () => {
    const api = find(objects, 'Deployment', 'api');
    const service = objects.find((object) => object.kind === 'Service' && selects(object.spec.selector, api));
    expect(service?.spec.ports[0].targetPort).toBe(api.spec.template.spec.containers[0].ports[0].containerPort);
  });
});

describe('deploy/k8s/prometheus-operator', () => {
  const dir = join(K8S_DIR, 'prometheus-operator');
  const { resources, objects } = readKustomization(dir);
  const base = readManifests().objects;

  it('applies the base with a ServiceMonitor and a PrometheusRule, every file of the folder listed', () => {
    const files = readdirSync(dir).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml');
    expect(resources.filter((resource) => resource.endsWith('.yaml')).sort()).toEqual(files.sort());
    expect(resources).toContain('../');
    expect(objects.map((object) => `${object.apiVersion} ${object.kind}`).sort()).toEqual(['monitoring.coreos.com/v1 PrometheusRule', 'monitoring.coreos.com/v1 ServiceMonitor']);
  });

  it('scrapes /metrics on the http port of every app\'s Service, and nothing else', () => {
    const monitor = find(objects, 'ServiceMonitor', 'cryptostream');
    const services = base.filter((object) => object.kind === 'Service');
    const [expression] = monitor.spec.selector.matchExpressions as { key: string; operator: string; values: string[] }[];
    const selected = services.filter((service) => expression.operator === 'In' && expression.values.includes(service.metadata.labels?.[expression.key] ?? ''));
    expect(selected.map((service) => service.metadata.name).sort()).toEqual(appNames().sort());
    expect(monitor.spec.endpoints).toEqual([expect.objectContaining({ port: 'http', path: '/metrics' })]);
    for (const service of selected) {
      const port = (service.spec.ports as { name: string; targetPort: number }[]).find((one) => one.name === 'http');
      const container = find(base, 'Deployment', service.metadata.name).spec.template.spec.containers[0];
      expect({ service: service.metadata.name, targetPort: port?.targetPort }).toEqual({ service: service.metadata.name, targetPort: container.ports[0].containerPort });
    }
  });

  it('carries the rule groups of deploy/prometheus/alerts.yml, verbatim', () => {
    const alerts = YAML.parse(readFileSync(join(K8S_DIR, '../prometheus/alerts.yml'), 'utf8')) as { groups: unknown[] };
    expect(find(objects, 'PrometheusRule', 'cryptostream').spec.groups).toEqual(alerts.groups);
  });
});

function selects(selector: Record<string, string>, deployment: K8sObject): boolean {
  const labels = deployment.spec.template.metadata.labels as Record<string, string>;
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}
