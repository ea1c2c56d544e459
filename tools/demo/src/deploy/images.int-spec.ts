import { freePort, randomName, RECORDINGS_DIR } from '@cryptostream/testing';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectedWindows } from '../expected-windows';
import { compareWindows } from '../kline-check';
import { containerEngine, engineRun, imageExists, imageSize, mainProcessUids, rootIsReadOnly, stopContainer, waitForStatus } from './containers';
import { PipelineFixture } from './pipeline-fixture';

/**
 * The images as they ship (`npm run images`), run against this machine's Kafka and MySQL on the
 * host network: the recordings replayed through the containerised ingestor and aggregator must
 * land in MySQL exactly as the offline `aggregate` computes them, the containerised archiver's
 * lake (a volume) must hold every one of those trades, and every container must be
 * ready, not root, fine on a read-only root filesystem (no tmpfs either) and exit 0 on SIGTERM
 * within its deadline. `npm run test:images` (IMAGE_TESTS=1) builds the images first.
 */
const RUN = process.env['IMAGE_TESTS'] === '1';
const PREFIX = process.env['IMAGE_PREFIX'] ?? 'cryptostream-';
const TAG = process.env['IMAGE_TAG'] ?? 'latest';
/** SHUTDOWN_DEADLINE_MS in the containers, and what `stop` waits before SIGKILL. */
const SHUTDOWN_DEADLINE_MS = 10_000;
const STOP_GRACE_S = 20;

/**
 * Debian slim and Node (121 MB of binary) in every image; of node_modules, what the app's bundle
 * still requires (tools/build/prune-runtime-deps.mjs): pino for the aggregator, pino and DuckDB's
 * engine (70 MB) for the apps that read or write the lake; the api, not bundled, keeps every
 * production dependency.
 */
const MAX_IMAGE_BYTES: Readonly<Record<string, number>> = { aggregator: 230e6, ingestor: 300e6, archiver: 300e6, api: 350e6 };

jest.setTimeout(600_000);

(RUN ? describe : describe.skip)('the container images', () => {
  const engine = RUN ? containerEngine() : 'podman';
  const fixture = new PipelineFixture('images');
  const containers: string[] = [];
  /** The archiver's lake volume: writable by the image's user (uid 1000). */
  const lakeDir = mkdtempSync(join(tmpdir(), 'images-lake-'));
  chmodSync(lakeDir, 0o777);

  beforeAll(() => fixture.setUp());
  afterAll(async () => {
    for (const container of containers) await engineRun(engine, ['rm', '-f', container]).catch(() => undefined);
    await fixture.tearDown();
    rmSync(lakeDir, { recursive: true, force: true });
  });

  /** Starts an image on the host network, read-only, unprivileged, without extra capabilities. */
  const start = async (app: string, env: Record<string, string>, volumes: readonly string[] = []): Promise<{ name: string; port: number }> => {
    const name = randomName(`cryptostream_test_${app}`);
    const port = await freePort();
    const settings = { ...env, HTTP_PORT: String(port), SHUTDOWN_DEADLINE_MS: String(SHUTDOWN_DEADLINE_MS) };
    await engineRun(engine, [
      'run', '-d', '--name', name, '--network', 'host',
      '--read-only', ...(engine === 'podman' ? ['--read-only-tmpfs=false'] : []),
      '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges',
      '-v', `${RECORDINGS_DIR}:/data:ro`, ...volumes.flatMap((volume) => ['-v', volume]),
      ...Object.entries(settings).flatMap(([key, value]) => ['-e', `${key}=${value}`]),
      `${PREFIX}${app}:${TAG}`,
    ]);
    containers.push(name);
    return { name, port };
  };

  const logs = (name: string) => engineRun(engine, ['logs', '--tail', '40', name]).catch((error: Error) => error.message);

  /** Ready, not root, read-only root; returns what it saw for the report. */
  const checkContainer = async (app: string, container: { name: string; port: number }) => {
    const ready = await waitForStatus(`http://127.0.0.1:${container.port}/health/ready`, 200, 90_000);
    if (ready !== 200) throw new Error(`${app} not ready (last status ${ready}):\n${await logs(container.name)}`);
    const uids = await mainProcessUids(engine, container.name);
    expect(uids.every((uid) => uid !== 0)).toBe(true);
    expect(await rootIsReadOnly(engine, container.name)).toBe(true);
    return { ready, uid: uids[0] };
  };

  it('replay through the containerised ingestor and aggregator equals the offline aggregate, the archiver\'s lake holds its trades; every container is ready, unprivileged, read-only and stops cleanly', async () => {
    const optional = await Promise.all(['api', 'archiver'].map(async (app) => ((await imageExists(engine, `${PREFIX}${app}:${TAG}`)) ? [app] : [])));
    const apps = ['ingestor', 'aggregator', ...optional.flat()];
    const sizes = Object.fromEntries(await Promise.all(apps.map(async (app) => [app, await imageSize(engine, `${PREFIX}${app}:${TAG}`)] as const)));
    const expected = await expectedWindows(fixture.files, fixture.windowSizes);

    const aggregator = await start('aggregator', fixture.aggregatorEnv());
    const checks: Record<string, { ready: number; uid: number }> = {};
    checks['aggregator'] = await checkContainer('aggregator', aggregator);
    const archiver = apps.includes('archiver') ? await start('archiver', fixture.archiverEnv('/lake'), [`${lakeDir}:/lake`]) : undefined;
    if (archiver) checks['archiver'] = await checkContainer('archiver', archiver);
    const ingestor = await start('ingestor', fixture.ingestorEnv(fixture.files.map((file) => `/data/${file.split('/').pop()}`)));
    checks['ingestor'] = await checkContainer('ingestor', ingestor);
    const started = { aggregator, ingestor, ...(archiver ? { archiver } : {}) } as Record<string, { name: string; port: number }>;
    if (apps.includes('api')) {
      started['api'] = await start('api', fixture.apiEnv(aggregator.port, ingestor.port));
      checks['api'] = await checkContainer('api', started['api']);
    }

    const stored = await fixture.waitForWindows(expected.length, 180_000, async () => `${await logs(aggregator.name)}\n${await logs(ingestor.name)}`);
    expect(compareWindows(stored, expected)).toEqual([]);
    const archived = archiver ? await fixture.checkArchive(lakeDir, stored) : undefined;

    const stops: Record<string, { exitCode: number; ms: number }> = {};
    for (const app of [...apps].reverse()) stops[app] = await stopContainer(engine, started[app].name, STOP_GRACE_S);
    for (const app of apps) {
      process.stdout.write(
        `[images] ${app}: size=${(sizes[app] / 1e6).toFixed(0)}MB ready=${checks[app].ready} uid=${checks[app].uid} read_only_root=yes ` +
        `sigterm_exit=${stops[app].exitCode} stop_ms=${stops[app].ms}\n`,
      );
    }
    process.stdout.write(`[images] windows=${stored.length} expected=${expected.length} differences=0\n`);
    if (archived) process.stdout.write(`[images] ${archived}\n`);
    for (const app of apps) {
      expect(stops[app].exitCode).toBe(0);
      expect(stops[app].ms).toBeLessThan(SHUTDOWN_DEADLINE_MS + 5_000);
      expect(sizes[app]).toBeLessThan(MAX_IMAGE_BYTES[app]);
    }
  });
});
