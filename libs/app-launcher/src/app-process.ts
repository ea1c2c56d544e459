import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync, WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');

/** CPU time a process has used so far (user + system), from /proc: Linux only. */
export function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1].split(' ');
  // utime and stime, fields 14 and 15 of stat (here 11 and 12, counted after the name), in clock ticks (USER_HZ, 100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The apps of the repository, under apps/. */
export type AppName = 'ingestor' | 'aggregator' | 'api' | 'archiver';

/**
 * The V8 flags an app runs with (its memory budget): `targets.serve.options.nodeFlags` of its
 * project.json, the one place they are written; `nx serve` and its image read them there too.
 */
export function nodeFlagsOf(app: AppName): string[] {
  const project = JSON.parse(readFileSync(join(ROOT, 'apps', app, 'project.json'), 'utf8')) as { targets?: { serve?: { options?: { nodeFlags?: string } } } };
  return (project.targets?.serve?.options?.nodeFlags ?? '').split(' ').filter(Boolean);
}

/** How {@link spawnApp} starts an app. */
export interface SpawnOptions {
  /** Settings on top of this process's environment (`HTTP_PORT` is `port`'s). */
  readonly env: Record<string, string>;
  readonly port: number;
  /** Where its stdout and stderr go. */
  readonly logFile: string;
  /** Appends to the log, which the caller ends, instead of writing it afresh. */
  readonly appendLog?: boolean;
  /** A built main.js to run instead of the app's source compiled on load. */
  readonly main?: string;
  /** V8 flags instead of the app's own ({@link nodeFlagsOf}). */
  readonly nodeFlags?: readonly string[];
  /** A command that runs node, with its arguments (a benchmark's instruction counter): node is then its last argument. */
  readonly wrapper?: readonly string[];
}

/** The one way the launchers start an app: as `nx serve` does (its V8 flags too), from the repository's root. */
export function spawnApp(name: AppName, { env, port, logFile, appendLog = false, main, nodeFlags = nodeFlagsOf(name), wrapper = [] }: SpawnOptions): { child: ChildProcess; log: WriteStream } {
  const [command, ...args] = [...wrapper, process.execPath, ...nodeFlags, ...(main ? [main] : ['-r', '@swc-node/register', `apps/${name}/src/main.ts`])];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, HTTP_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile, { flags: appendLog ? 'a' : 'w' });
  child.stdout?.pipe(log, { end: !appendLog });
  child.stderr?.pipe(log, { end: !appendLog });
  return { child, log };
}

/** One of the apps, started as `nx serve` would start it (its V8 flags too), with its output in a log file. */
export class AppProcess {
  private constructor(
    readonly name: string,
    readonly port: number,
    readonly logFile: string,
    private readonly child: ChildProcess,
  ) {}

  /** `nodeFlags`: V8 flags instead of the app's own (a benchmark's variant). */
  static start(name: AppName, port: number, env: Record<string, string>, logDir: string, nodeFlags?: readonly string[]): AppProcess {
    const logFile = join(logDir, `${name}.log`);
    return new AppProcess(name, port, logFile, spawnApp(name, { env, port, logFile, nodeFlags }).child);
  }

  /** Polls GET /health/ready until it answers 200; fails early if the process exits. */
  async waitReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`${this.name} exited with code ${this.child.exitCode}:\n${await this.logTail()}`);
      try {
        const response = await fetch(`http://127.0.0.1:${this.port}/health/ready`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(250);
    }
    throw new Error(`${this.name} was not ready within ${timeoutMs} ms:\n${await this.logTail()}`);
  }

  /** CPU time the process has used so far (user + system), from /proc: Linux only. */
  cpuMs(): number {
    return processCpuMs(this.child.pid!);
  }

  /** Resident memory of the process right now (VmRSS, from /proc): Linux only. */
  rssBytes(): number {
    const kib = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${this.child.pid}/status`, 'latin1'))?.[1];
    return Number(kib ?? 0) * 1024;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends a signal without waiting (SIGKILL in fault tests); `exited` tells how it ended. */
  kill(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  get exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (!this.running) return Promise.resolve({ code: this.child.exitCode, signal: this.child.signalCode });
    return new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** SIGTERM, then waits for a clean exit; returns the exit code. */
  async stop(timeoutMs = 15_000): Promise<number | null> {
    if (!this.running) return this.child.exitCode;
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }

  async logTail(lines = 30): Promise<string> {
    const text = await readFile(this.logFile, 'utf8').catch(() => '');
    return text.split('\n').slice(-lines).join('\n');
  }
}

/** A TCP port that nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The first port of [first, last] that nothing listens on (a suite's own range of ports); throws when all are taken. */
export async function freePortIn(first: number, last: number): Promise<number> {
  for (let port = first; port <= last; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer().once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`every port from ${first} to ${last} is taken`);
}
