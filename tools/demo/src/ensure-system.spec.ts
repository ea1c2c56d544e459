import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// scripts/ensure-system.sh as a newcomer meets it: the real script, run with a PATH that lacks
// or has the commands it is asked for. Installing is proven by `npm run test:fresh-machine`;
// here nothing may be installed, so a missing command is only ever asked for as a non-root user.
const SCRIPT = join(__dirname, '../../../scripts/ensure-system.sh');
const BASH = '/bin/bash';
const runningAsRoot = process.getuid?.() === 0;
const which = (tool: string) => spawnSync(BASH, ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();

describe('scripts/ensure-system.sh', () => {
  let dir: string;
  let bin: string;
  beforeEach(() => {
    // World-readable, so that the unprivileged user below can run the copy.
    dir = mkdtempSync(join(tmpdir(), 'ensure-system-'));
    chmodSync(dir, 0o755);
    copyFileSync(SCRIPT, join(dir, 'ensure-system.sh'));
    bin = join(dir, 'bin');
    spawnSync('mkdir', ['-m', '755', bin]);
    for (const tool of ['id', 'apt-get', 'flock', 'mktemp']) {
      const found = which(tool);
      if (found) symlinkSync(found, join(bin, tool));
    }
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The script with only `bin` on PATH (plus the sbin folders it adds itself). */
  const run = (args: string[], asUser = false) => {
    const command = asUser && runningAsRoot
      ? [which('setpriv'), '--reuid=65534', '--regid=65534', '--clear-groups', BASH, join(dir, 'ensure-system.sh'), ...args]
      : [BASH, join(dir, 'ensure-system.sh'), ...args];
    const result = spawnSync(command[0], command.slice(1), { encoding: 'utf8', env: { PATH: bin, TMPDIR: dir } });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  it('leaves a machine that has the commands alone: exit 0, silent', () => {
    for (const command of ['java', 'mvn']) {
      writeFileSync(join(bin, command), '#!/bin/sh\nexit 0\n');
      chmodSync(join(bin, command), 0o755);
    }
    expect(run(['java', 'mvn'])).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('tells a non-root user the exact apt-get line for what is missing, once per package, and fails', () => {
    const { status, stderr } = run(['java', 'mvn', 'java'], true);
    expect(status).toBe(1);
    expect(stderr).toContain('missing: java (default-jre-headless) mvn (maven).');
    expect(stderr).toContain('sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y default-jre-headless maven\n');
  });

  it('refuses a command it has no package for, naming the table to extend', () => {
    const { status, stderr } = run(['no-such-tool']);
    expect(status).toBe(2);
    expect(stderr).toContain("no package known for 'no-such-tool' (add a row to PACKAGE in");
  });
});
