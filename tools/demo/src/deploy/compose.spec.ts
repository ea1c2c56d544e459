import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { appNames, appSettings } from './app-settings';

/**
 * docker-compose.yml checked without Docker: every app is a service built from
 * docker/app.Dockerfile, sets only settings the app reads, reaches Kafka and MySQL by service
 * name, and waits only for services that have a health check. Where the Docker client has the
 * compose plugin, `docker compose config` must accept the file too.
 */
const ROOT = join(__dirname, '../../../..');
const APP_PORTS: Record<string, string> = { ingestor: '3001', aggregator: '3002', api: '3000', archiver: '3003' };

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  environment?: Record<string, string | number>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  read_only?: boolean;
  cap_drop?: string[];
}

describe('docker-compose.yml', () => {
  const compose = YAML.parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
  const services = compose.services;
  const built = Object.entries(services).filter(([, service]) => service.build);

  it('runs Kafka, MySQL and every app', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['kafka', 'mysql', ...appNames()]));
    expect(built.map(([name]) => name).sort()).toEqual(appNames().sort());
  });

  it.each(appNames())('builds %s from docker/app.Dockerfile for that app, published on its port', (app) => {
    const service = services[app];
    expect(existsSync(join(ROOT, service.build!.context, service.build!.dockerfile))).toBe(true);
    expect(service.build!.dockerfile).toBe('docker/app.Dockerfile');
    expect(service.build!.args).toMatchObject({ APP: app, HTTP_PORT: APP_PORTS[app] });
    expect(service.ports).toContain(`${APP_PORTS[app]}:${APP_PORTS[app]}`);
    expect(service).toMatchObject({ read_only: true, cap_drop: ['ALL'] });
  });

  it.each(appNames())('gives %s only settings it reads, with Kafka and MySQL addressed by service name', (app) => {
    const environment = services[app].environment ?? {};
    const known = appSettings(app);
    expect(Object.keys(environment).filter((name) => !known.has(name))).toEqual([]);
    const brokers = String(environment['KAFKA_BROKERS'] ?? '').split(',').filter(Boolean);
    expect(brokers.length).toBeGreaterThan(0);
    for (const broker of brokers) expect(services[broker.split(':')[0]]).toBeDefined();
    if (environment['MYSQL_URL'] !== undefined) expect(services[new URL(String(environment['MYSQL_URL'])).hostname]).toBeDefined();
  });

  it('waits only for services that exist and report their health', () => {
    const dockerfile = readFileSync(join(ROOT, 'docker/app.Dockerfile'), 'utf8');
    const healthy = (name: string) => Boolean(services[name]?.healthcheck) || (Boolean(services[name]?.build) && /^HEALTHCHECK /m.test(dockerfile));
    for (const [name, service] of Object.entries(services)) {
      for (const [target, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(`${name} -> ${target}: ${services[target] ? 'exists' : 'missing'}`).toBe(`${name} -> ${target}: exists`);
        if (condition === 'service_healthy') expect(`${target} healthy: ${healthy(target)}`).toBe(`${target} healthy: true`);
      }
    }
  });

  const composePlugin = (() => {
    try {
      execFileSync('docker', ['compose', 'version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  (composePlugin ? it : it.skip)('is accepted by `docker compose config`', () => {
    expect(() => execFileSync('docker', ['compose', '-f', join(ROOT, 'docker-compose.yml'), 'config', '--quiet'], { stdio: 'pipe' })).not.toThrow();
  });
});
