import { kafkaSecurity, mysqlSettings, SettingsReader } from '@cryptostream/config';
import { PIPELINE_USERS } from '@cryptostream/kafka-io';
import { ROLE_GRANTS, roleUser } from '@cryptostream/persistence';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { appNames, appSettings } from './app-settings';
import { find, K8S_DIR, K8sObject, readKustomization, readManifests } from './k8s-manifests';

const DIR = join(K8S_DIR, 'secure');
/** The MySQL role of each app that uses MySQL. */
const MYSQL_ROLES: Record<string, keyof typeof ROLE_GRANTS | undefined> = { ingestor: undefined, aggregator: 'aggregator', api: 'reader', archiver: 'archiver' };

interface EnvEntry {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}

/**
 * deploy/k8s/secure checked without a cluster: each app as its own Kafka user over SASL_SSL
 * and as the MySQL user of its role over TLS, every password and CA a mounted Secret file, a
 * NetworkPolicy per app; the settings they end up with are ones the apps read, and read back
 * by the apps' own settings code as a secured connection.
 */
describe('deploy/k8s/secure', () => {
  const kustomization = YAML.parse(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8')) as { resources: string[]; patches: { path: string }[] };
  const { objects } = readKustomization(DIR);
  const base = readManifests().objects;
  const patches = kustomization.patches.flatMap(({ path }) => YAML.parseAllDocuments(readFileSync(join(DIR, path), 'utf8')).map((d) => d.toJSON() as K8sObject));
  const config = { ...find(base, 'ConfigMap', 'cryptostream-config').data, ...find(patches, 'ConfigMap', 'cryptostream-config').data };

  it('applies the base and lists every file of the folder', () => {
    const files = readdirSync(DIR).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml');
    expect([...kustomization.resources.filter((r) => r.endsWith('.yaml')), ...kustomization.patches.map((p) => p.path)].sort()).toEqual(files.sort());
    expect(kustomization.resources).toContain('../');
    expect(appNames().sort()).toEqual(patches.filter((p) => p.kind === 'Deployment').map((p) => p.metadata.name).sort());
  });

  describe.each(appNames())('%s', (app) => {
    const patch = find(patches, 'Deployment', app);
    const baseContainer = find(base, 'Deployment', app).spec.template.spec.containers[0];
    const container = patch.spec.template.spec.containers[0];
    const env = new Map<string, EnvEntry>([...(baseContainer.env as EnvEntry[]), ...(container.env as EnvEntry[])].map((entry) => [entry.name, entry]));
    const mounts = new Map<string, string>((container.volumeMounts as { name: string; mountPath: string }[]).map((m) => [m.mountPath, m.name]));
    const volumes = patch.spec.template.spec.volumes as { name: string; secret: { secretName: string; defaultMode: number; items: { key: string; path: string }[] } }[];
    /** The Secret behind the file at `path`, and the key it holds. */
    const secretOf = (path: string) => {
      const dir = path.slice(0, path.lastIndexOf('/'));
      const volume = volumes.find((v) => v.name === mounts.get(dir));
      const item = volume?.secret.items.find((i) => i.path === path.slice(dir.length + 1));
      return { secret: find(objects, 'Secret', volume?.secret.secretName ?? ''), key: item?.key ?? '' };
    };

    it('logs in to Kafka as its own user, its password and the CA mounted as files from a Secret', () => {
      expect(env.get('KAFKA_SASL_USERNAME')?.value).toBe(PIPELINE_USERS[app as keyof typeof PIPELINE_USERS]);
      for (const setting of ['KAFKA_SASL_PASSWORD_FILE', 'KAFKA_SSL_CA_FILE']) {
        const { secret, key } = secretOf(config[setting]);
        expect(Object.keys(secret.stringData ?? {})).toContain(key);
      }
      expect([...env.keys(), ...Object.keys(config)]).not.toContain('KAFKA_SASL_PASSWORD');
      expect(volumes.map((v) => v.secret.defaultMode)).toEqual(volumes.map(() => 0o440));
      expect(patch.spec.template.spec.securityContext.fsGroup).toBe(find(base, 'Deployment', app).spec.template.spec.securityContext.runAsGroup);
    });

    it('reaches MySQL, if at all, as the user of its role over TLS, with no password in MYSQL_URL', () => {
      const role = MYSQL_ROLES[app];
      if (!role) {
        expect(env.has('MYSQL_URL')).toBe(false);
        return;
      }
      const ref = env.get('MYSQL_URL')!.valueFrom!.secretKeyRef;
      const secret = find(objects, 'Secret', ref.name);
      const url = new URL(secret.stringData![ref.key]);
      expect([url.username, url.password]).toEqual([roleUser(role), '']);
      expect(Object.keys(secret.stringData!)).toEqual(expect.arrayContaining(['ca.pem', 'password']));
      expect(secretOf(config['MYSQL_PASSWORD_FILE']).secret.metadata.name).toBe(ref.name);
      if (app === 'aggregator') expect(env.get('MYSQL_MIGRATE')?.value).toBe('off');
    });

    it('sets only settings the app reads, and its settings code reads them as a secured connection', () => {
      const known = appSettings(app);
      const names = [...env.keys()];
      expect(names.filter((name) => !known.has(name))).toEqual([]);
      // The mounted files, as the pod would see them.
      const root = mkdtempSync(join(tmpdir(), 'k8s-secure-'));
      const file = (path: string) => {
        const { secret, key } = secretOf(path);
        const local = join(root, path.replaceAll('/', '_'));
        writeFileSync(local, secret.stringData![key]);
        return local;
      };
      const values: Record<string, string> = {};
      for (const [name, value] of Object.entries(config)) values[name] = name.endsWith('_FILE') && (name.startsWith('KAFKA') || MYSQL_ROLES[app]) ? file(value) : value;
      for (const entry of env.values()) values[entry.name] = entry.value ?? find(objects, 'Secret', entry.valueFrom!.secretKeyRef.name).stringData![entry.valueFrom!.secretKeyRef.key];
      if (!MYSQL_ROLES[app]) for (const name of Object.keys(values).filter((n) => n.startsWith('MYSQL_'))) delete values[name];
      const reader = new SettingsReader(values);
      expect(kafkaSecurity(reader)).toMatchObject({ protocol: 'SASL_SSL', tls: { ca: expect.stringContaining('BEGIN CERTIFICATE') }, sasl: { mechanism: 'SCRAM-SHA-512', username: values['KAFKA_SASL_USERNAME'], passwordSetting: 'KAFKA_SASL_PASSWORD_FILE' } });
      if (MYSQL_ROLES[app]) expect(mysqlSettings(reader)).toMatchObject({ user: roleUser(MYSQL_ROLES[app]!), password: 'change-me', ssl: { rejectUnauthorized: true } });
    });
  });

  it('refuses ingress by default and lets each app be reached only by what needs it', () => {
    const policies = objects.filter((object) => object.kind === 'NetworkPolicy');
    expect(find(policies, 'NetworkPolicy', 'default-deny-ingress').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    for (const app of appNames()) {
      const port = find(base, 'Deployment', app).spec.template.spec.containers[0].ports[0].containerPort;
      const policy = policies.find((p) => p.spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === app);
      expect(policy?.spec.ingress.flatMap((rule: { ports: { port: number }[] }) => rule.ports.map((p) => p.port))).toEqual([port]);
      const from = policy?.spec.ingress.flatMap((rule: { from?: unknown[] }) => rule.from ?? ['anywhere']);
      if (app === 'api') expect(from).toEqual(['anywhere']);
      else expect(from).not.toContain('anywhere');
    }
  });
});
