import { nodeFlagsOf } from '@cryptostream/testing';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import YAML from 'yaml';
import { appNames } from './app-settings';

/**
 * An app's V8 flags (its memory budget) are written once, as `targets.serve.options.nodeFlags` of
 * its project.json: the serve target, the image (docker/app.Dockerfile), compose and the test
 * launcher read them there, so that none of them runs the app with a budget of its own.
 */
const ROOT = join(__dirname, '../../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const SPACE_SIZE = /--max-(old|semi)-space-size/;

describe('the apps’ V8 flags', () => {
  it.each(appNames())('of %s are its project.json’s, which its serve target passes to node', (app) => {
    const serve = (JSON.parse(read(`apps/${app}/project.json`)) as { targets: { serve: { command: string; options?: { nodeFlags?: string } } } }).targets.serve;
    expect(serve.command).not.toMatch(SPACE_SIZE);
    if (serve.options?.nodeFlags !== undefined) expect(serve.command).toMatch(/^node \{args\.nodeFlags\} /);
    expect(nodeFlagsOf(app as Parameters<typeof nodeFlagsOf>[0])).toEqual((serve.options?.nodeFlags ?? '').split(' ').filter(Boolean));
  });

  it('cap the aggregator’s and the archiver’s heaps', () => {
    expect(nodeFlagsOf('aggregator').join(' ')).toMatch(/--max-old-space-size=\d+/);
    expect(nodeFlagsOf('archiver').join(' ')).toMatch(/--max-old-space-size=\d+/);
  });

  it('are written nowhere else: the image reads them from project.json, compose and images.sh pass none', () => {
    expect(read('docker/app.Dockerfile')).toContain('targets.serve?.options?.nodeFlags');
    expect(read('scripts/images.sh')).not.toMatch(SPACE_SIZE);
    const compose = YAML.parse(read('docker-compose.yml')) as { services: Record<string, { build?: { args?: Record<string, string> } }> };
    for (const service of Object.values(compose.services)) expect(Object.keys(service.build?.args ?? {})).not.toContain('NODE_FLAGS');
  });

  /** The image's start command (its CMD's shell line), run in a directory laid out as /app with a main.js that reports how it was started. */
  function startAsTheImage(app: string, env: Record<string, string>): { execArgv: string[]; nodeOptions: string | undefined } {
    const cmd = /^CMD \["\/bin\/sh", "-c", (".*")\]$/m.exec(read('docker/app.Dockerfile'))?.[1];
    if (cmd === undefined) throw new Error('docker/app.Dockerfile: no CMD ["/bin/sh", "-c", "…"]');
    const dir = mkdtempSync(join(tmpdir(), 'image-cmd-'));
    try {
      writeFileSync(join(dir, 'node-flags'), `${nodeFlagsOf(app as Parameters<typeof nodeFlagsOf>[0]).join(' ')}\n`);
      writeFileSync(join(dir, 'main.js'), 'console.log(JSON.stringify({ execArgv: process.execArgv, nodeOptions: process.env.NODE_OPTIONS }))');
      const pathWithNode = `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`;
      const { NODE_OPTIONS: _ours, ...inherited } = process.env;
      const out = execFileSync('/bin/sh', ['-c', JSON.parse(cmd) as string], { cwd: dir, env: { ...inherited, PATH: pathWithNode, ...env }, encoding: 'utf8' });
      return JSON.parse(out) as { execArgv: string[]; nodeOptions: string | undefined };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it.each(appNames())('start %s in its image with them, NODE_OPTIONS or not allowed there', (app) => {
    expect(startAsTheImage(app, {})).toEqual({ execArgv: nodeFlagsOf(app as Parameters<typeof nodeFlagsOf>[0]), nodeOptions: undefined });
  });

  it('give way in the image to a NODE_OPTIONS the environment sets', () => {
    expect(startAsTheImage('archiver', { NODE_OPTIONS: '--max-old-space-size=300' })).toEqual({ execArgv: [], nodeOptions: '--max-old-space-size=300' });
    expect(startAsTheImage('archiver', { NODE_OPTIONS: '' })).toEqual({ execArgv: [], nodeOptions: '' });
  });
});
