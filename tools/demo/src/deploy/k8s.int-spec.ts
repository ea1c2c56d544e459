import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, RECORDINGS_DIR } from '@cryptostream/testing';
import YAML from 'yaml';
import { expectedWindows } from '../expected-windows';
import { compareWindows } from '../kline-check';
import { containerEngine, engineRun, imageExists, mainProcessStatus, mainProcessUids, rootIsReadOnly, waitForStatus } from './containers';
import { K8sObject, readManifests } from './k8s-manifests';
import { PipelineFixture } from './pipeline-fixture';

/**
 * deploy/k8s run as pods by `podman kube play --network host` against this machine's Kafka and
 * MySQL: the ConfigMaps point at them (one broker: replication 1), the ingestor replays the
 * recordings, each app listens on a free port (declared ports are dropped: podman would map them). The pods must become ready, unprivileged and
 * read-only as the manifests say, the windows must reach MySQL exactly as the offline
 * `aggregate` computes them, the archiver's lake (its claim as a host directory here) must hold
 * every trade they counted, and the pods must stop cleanly before `podman kube down`.
 * `npm run test:k8s` (K8S_TESTS=1) builds the images first.
 */
const RUN = process.env['K8S_TESTS'] === '1';
const PREFIX = process.env['IMAGE_PREFIX'] ?? 'cryptostream-';
const TAG = process.env['IMAGE_TAG'] ?? 'latest';

jest.setTimeout(600_000);

(RUN ? describe : describe.skip)('deploy/k8s under podman kube play', () => {
  const fixture = new PipelineFixture('k8s');
  const file = join(mkdtempSync(join(tmpdir(), 'cryptostream-k8s-')), 'cryptostream.yaml');
  const secrets: string[] = [];
  /** The archiver's lake: its PersistentVolumeClaim is a host directory here, writable by the pod's user. */
  const lakeDir = mkdtempSync(join(tmpdir(), 'cryptostream-k8s-lake-'));
  chmodSync(lakeDir, 0o777);

  beforeAll(async () => {
    if (containerEngine() !== 'podman') throw new Error('test:k8s needs podman (kube play); scripts/lib/containers.sh installs it');
    await fixture.setUp();
  });
  afterAll(async () => {
    await engineRun('podman', ['kube', 'down', file]).catch(() => undefined);
    for (const secret of secrets) await engineRun('podman', ['secret', 'rm', secret]).catch(() => undefined);
    await fixture.tearDown();
    rmSync(lakeDir, { recursive: true, force: true });
  });

  it('runs the Deployments as ready, hardened pods that write exactly the offline windows and archive their trades, and stops them cleanly', async () => {
    const optional = await Promise.all(['api', 'archiver'].map(async (app) => ((await imageExists('podman', `${PREFIX}${app}:${TAG}`)) ? [app] : [])));
    const apps = ['ingestor', 'aggregator', ...optional.flat()];
    const ports = Object.fromEntries(await Promise.all(apps.map(async (app) => [app, await freePort()] as const)));
    const { objects } = readManifests();
    const local = forThisMachine(objects, apps, ports, fixture, lakeDir);
    // podman 4.3 reads a Secret's keys from a podman secret holding JSON (key -> base64).
    for (const secret of objects.filter((object) => object.kind === 'Secret')) {
      const values = { ...secret.data, ...Object.fromEntries(Object.entries(secret.stringData ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')])) };
      if (values['MYSQL_URL'] !== undefined) values['MYSQL_URL'] = Buffer.from(fixture.mysqlUrl).toString('base64');
      await engineRun('podman', ['secret', 'rm', secret.metadata.name]).catch(() => undefined);
      await engineRun('podman', ['secret', 'create', secret.metadata.name, writeTemp(`${secret.metadata.name}.json`, JSON.stringify(values))]);
      secrets.push(secret.metadata.name);
    }
    writeFileSync(file, local.map((object) => YAML.stringify(object)).join('---\n'));
    const expected = await expectedWindows(fixture.files, fixture.windowSizes);

    const played = Date.now();
    await engineRun('podman', ['kube', 'play', '--network', 'host', file], 300_000);
    const readyMs: Record<string, number> = {};
    for (const app of apps) {
      const status = await waitForStatus(`http://127.0.0.1:${ports[app]}/health/ready`, 200, 120_000);
      if (status !== 200) throw new Error(`${app} pod not ready (last status ${status}):\n${await podLogs(app)}`);
      readyMs[app] = Date.now() - played;
    }
    const pods = await engineRun('podman', ['pod', 'ps', '--format', '{{.Name}} {{.Status}}']);
    for (const app of apps) expect(pods).toMatch(new RegExp(`^${app}-pod\\S* Running$`, 'm'));

    for (const app of apps) {
      const container = await containerOf(app);
      expect((await mainProcessUids('podman', container)).every((uid) => uid !== 0)).toBe(true);
      expect(await rootIsReadOnly('podman', container)).toBe(true);
      const status = await mainProcessStatus('podman', container);
      expect(status).toMatch(/^CapEff:\s+0+$/m);
    }

    const stored = await fixture.waitForWindows(expected.length, 180_000, async () => (await Promise.all(apps.map(podLogs))).join('\n'));
    expect(compareWindows(stored, expected)).toEqual([]);
    const archived = apps.includes('archiver') ? await fixture.checkArchive(lakeDir, stored) : undefined;

    const exits: Record<string, string> = {};
    for (const app of [...apps].reverse()) {
      const container = await containerOf(app);
      await engineRun('podman', ['stop', '--time', '20', container], 60_000);
      exits[app] = await engineRun('podman', ['inspect', '--format', '{{.State.ExitCode}}', container]);
      if (exits[app] !== '0') process.stdout.write(`[k8s] ${app} exited ${exits[app]} on SIGTERM:\n${await engineRun('podman', ['logs', '--tail', '40', container])}\n`);
    }
    await engineRun('podman', ['kube', 'down', file]);
    const left = await engineRun('podman', ['pod', 'ps', '--format', '{{.Name}}']);
    process.stdout.write(
      `[k8s] pods=${apps.join(',')} ready_after_ms=${apps.map((app) => readyMs[app]).join('/')} windows=${stored.length}/${expected.length} ` +
      `differences=0 sigterm_exit=${apps.map((app) => exits[app]).join('/')}\n`,
    );
    for (const app of apps) {
      expect(exits[app]).toBe('0');
      expect(left).not.toMatch(new RegExp(`^${app}-pod`, 'm'));
    }
    if (archived) process.stdout.write(`[k8s] ${archived}\n`);
  });

  async function containerOf(app: string): Promise<string> {
    const names = await engineRun('podman', ['ps', '--format', '{{.Names}}']);
    const name = names.split('\n').find((line) => line.startsWith(`${app}-pod`) && line.endsWith(`-${app}`));
    if (!name) throw new Error(`no container of the ${app} pod among:\n${names}`);
    return name;
  }

  async function podLogs(app: string): Promise<string> {
    const container = await containerOf(app).catch(() => undefined);
    return container ? `--- ${app} ---\n${await engineRun('podman', ['logs', '--tail', '30', container]).catch(() => '')}` : `--- ${app}: no container ---`;
  }
});

function writeTemp(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'cryptostream-k8s-')), name);
  writeFileSync(path, text, { mode: 0o600 });
  return path;
}

/**
 * The manifests with this machine's servers and ports: the shared ConfigMap points at the test
 * broker, topics and database (one broker: replication 1), the ingestor replays the recordings
 * (mounted at /data), every app listens on its own free port, images are the local builds.
 * Kinds podman does not run (Namespace, Service, PodDisruptionBudget, Secret) are left out.
 */
function forThisMachine(objects: readonly K8sObject[], apps: readonly string[], ports: Record<string, number>, fixture: PipelineFixture, lakeDir: string): K8sObject[] {
  const copy = structuredClone(objects) as K8sObject[];
  const result: K8sObject[] = [];
  for (const object of copy) {
    if (object.kind === 'ConfigMap' && object.metadata.name === 'cryptostream-config') {
      // The group is each consumer's own, in its Deployment (below).
      const { KAFKA_GROUP_ID: _group, ...shared } = fixture.aggregatorEnv();
      Object.assign(object.data!, shared, { KAFKA_REPLICATION_FACTOR: '1', KAFKA_MIN_INSYNC_REPLICAS: '1' });
      delete object.data!['MYSQL_URL'];
      result.push(object);
    } else if (object.kind === 'ConfigMap' && object.metadata.name === 'ingestor-config') {
      Object.assign(object.data!, fixture.ingestorEnv(fixture.files.map((path) => `/data/${path.split('/').pop()}`)));
      result.push(object);
    } else if (object.kind === 'ConfigMap') {
      result.push(object);
    } else if (object.kind === 'Deployment' && apps.includes(object.metadata.name)) {
      const app = object.metadata.name;
      const pod = object.spec.template.spec;
      const container = pod.containers[0];
      const from = String(container.ports[0].containerPort);
      container.image = `localhost/${PREFIX}${app}:${TAG}`;
      container.imagePullPolicy = 'Never';
      // Every mention of the app's port (container port, probes, HTTP_PORT) becomes its free port.
      Object.assign(container, JSON.parse(JSON.stringify(container).replaceAll(`:${from}`, `:${ports[app]}`).replaceAll(`"${from}"`, `"${ports[app]}"`)));
      // On the host network a declared port would become a port mapping, which podman refuses.
      delete container.ports;
      // One replica: on the host network every replica of a Deployment listens on the same port,
      // so a second one crash-looped on EADDRINUSE, and a stop or exec that met it failed the
      // test now and then. Several aggregators at once are tested by test:cluster and test:faults.
      object.spec.replicas = 1;
      for (const entry of container.env ?? []) {
        if (entry.name === 'INGESTOR_URL') entry.value = `http://127.0.0.1:${ports['ingestor']}`;
        if (entry.name === 'AGGREGATOR_URL') entry.value = `http://127.0.0.1:${ports['aggregator']}`;
      }
      if (app === 'ingestor') {
        pod.volumes.push({ name: 'recordings', hostPath: { path: RECORDINGS_DIR, type: 'Directory' } });
        container.volumeMounts.push({ name: 'recordings', mountPath: '/data', readOnly: true });
      }
      if (app === 'aggregator') {
        for (const entry of container.env ?? []) if (entry.name === 'KAFKA_GROUP_ID') entry.value = fixture.groupId;
      }
      if (app === 'archiver') {
        // Its own group and window-update topic as the fixture names them; its claim a host directory.
        const archiverEnv = fixture.archiverEnv('/lake');
        for (const entry of container.env ?? []) if (entry.valueFrom === undefined && archiverEnv[entry.name] !== undefined) entry.value = archiverEnv[entry.name];
        for (const name of ['KAFKA_WINDOWS_TOPIC', 'LAKE_ROLL_MS']) container.env.push({ name, value: archiverEnv[name] });
        pod.volumes = pod.volumes.map((volume: { name: string }) => (volume.name === 'lake' ? { name: 'lake', hostPath: { path: lakeDir, type: 'Directory' } } : volume));
      }
      result.push(object);
    }
  }
  return result;
}
