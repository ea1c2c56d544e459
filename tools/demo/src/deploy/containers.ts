import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '../../../..');
const run = promisify(execFile);

/** The container engine scripts/lib/containers.sh picks: docker where an engine answers, else podman. */
export function containerEngine(): 'docker' | 'podman' {
  const engine = execFileSync('bash', ['-c', `source '${ROOT}/scripts/lib/containers.sh' && engine`], { encoding: 'utf8' }).trim();
  if (engine !== 'docker' && engine !== 'podman') throw new Error(`unexpected container engine ${JSON.stringify(engine)}`);
  return engine;
}

/** Runs the engine with `args`; resolves with its trimmed stdout, rejects with its stderr. */
export async function engineRun(engine: string, args: readonly string[], timeoutMs = 120_000): Promise<string> {
  try {
    const { stdout } = await run(engine, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
    return stdout.trim();
  } catch (error) {
    const failed = error as { stderr?: string; message: string };
    throw new Error(`${engine} ${args.join(' ')}: ${failed.stderr?.trim() || failed.message}`);
  }
}

/** The image's size in bytes, as `images` reports it. */
export async function imageSize(engine: string, image: string): Promise<number> {
  return Number(await engineRun(engine, ['image', 'inspect', '--format', '{{.Size}}', image]));
}

export async function imageExists(engine: string, image: string): Promise<boolean> {
  return engineRun(engine, ['image', 'inspect', image]).then(() => true, () => false);
}

/**
 * Runs a command inside a running container. runc on this loaded machine now and then fails to
 * start the exec'd process ("write init-p: broken pipe"): such a start is tried again.
 */
export async function execIn(engine: string, container: string, command: readonly string[]): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await engineRun(engine, ['exec', container, ...command]);
    } catch (error) {
      if (attempt >= 3 || !/OCI runtime error/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

/** The status of a container's main process (/proc/1/status): uids, capabilities. */
export function mainProcessStatus(engine: string, container: string): Promise<string> {
  return execIn(engine, container, ['cat', '/proc/1/status']);
}

/** A container's main process as the kernel sees it: its real and effective uid. */
export async function mainProcessUids(engine: string, container: string): Promise<number[]> {
  const status = await mainProcessStatus(engine, container);
  const line = status.split('\n').find((entry) => entry.startsWith('Uid:'));
  if (!line) throw new Error(`no Uid line in /proc/1/status of ${container}`);
  return line.split(/\s+/).slice(1, 3).map(Number);
}

/** True when the container cannot write where its app lives (read-only root filesystem). */
export async function rootIsReadOnly(engine: string, container: string): Promise<boolean> {
  return execIn(engine, container, ['node', '-e', "require('fs').writeFileSync('/app/.probe', 'x')"]).then(
    () => false,
    (error: Error) => {
      if (/EROFS/.test(error.message)) return true;
      throw error;
    },
  );
}

/**
 * `engine stop` (SIGTERM, then SIGKILL after `graceSeconds`): how long the container took to
 * exit and its exit code (0 for a clean shutdown; 137 when it had to be killed).
 */
export async function stopContainer(engine: string, container: string, graceSeconds: number): Promise<{ exitCode: number; ms: number }> {
  const started = Date.now();
  await engineRun(engine, ['stop', '--time', String(graceSeconds), container], (graceSeconds + 30) * 1000);
  const ms = Date.now() - started;
  const exitCode = Number(await engineRun(engine, ['inspect', '--format', '{{.State.ExitCode}}', container]));
  return { exitCode, ms };
}

/** Polls `url` until it answers `status` (or time runs out); returns the last status (0: no answer). */
export async function waitForStatus(url: string, status: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let seen = 0;
  while (Date.now() < deadline) {
    seen = await fetch(url, { signal: AbortSignal.timeout(3_000) }).then((response) => response.status, () => 0);
    if (seen === status) return seen;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return seen;
}
