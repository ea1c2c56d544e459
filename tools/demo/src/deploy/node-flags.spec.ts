import { nodeFlagsOf } from '@cryptostream/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
});
