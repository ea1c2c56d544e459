import { nodeFlagsOf, processCpuMs, spawnApp } from '@cryptostream/app-launcher';
import type { ChildProcess } from 'node:child_process';
import type { WriteStream } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../../..');
/** The output of `nx build aggregator` (its `build` target), as the image runs it. */
export const BUILT_MAIN = join(ROOT, 'dist/apps/aggregator/apps/aggregator/src/main.js');
/**
 * The aggregator's memory budget, the V8 flags of its project.json that the serve target and the
 * image use: without a cap V8 lets garbage grow with the machine's memory (see the aggregator
 * README, Memory). AGGREGATOR_NODE_FLAGS (space-separated) replaces them, so that a benchmark can weigh others.
 */
export const AGGREGATOR_NODE_FLAGS: readonly string[] = nodeFlagsOf('aggregator');

/** The V8 flags an aggregator runs with: `override` (space-separated), else AGGREGATOR_NODE_FLAGS, else the image's. */
export function aggregatorNodeFlags(override = process.env['AGGREGATOR_NODE_FLAGS']): readonly string[] {
  return override === undefined ? AGGREGATOR_NODE_FLAGS : override.split(' ').filter(Boolean);
}

/** How an aggregator process is started (see {@link AggregatorProcess.start}). */
export interface AggregatorStart {
  readonly env: Record<string, string>;
  readonly httpPort: number;
  readonly logFile: string;
  /** Run {@link BUILT_MAIN} (build it first) instead of the source. */
  readonly built?: boolean;
  /** Another built main.js (a benchmark's baseline checkout); implies built. */
  readonly main?: string;
  /** Space-separated V8 flags instead of {@link AGGREGATOR_NODE_FLAGS} (and AGGREGATOR_NODE_FLAGS). */
  readonly nodeFlags?: string;
  /** A command that runs node (see spawnApp's `wrapper`). */
  readonly wrapper?: readonly string[];
}

/** An aggregator running as a child process, as in production, so that it can be SIGKILLed. */
export class AggregatorProcess {
  readonly #child: ChildProcess;
  readonly #log: WriteStream;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  /** performance.now() when the process was spawned. */
  readonly spawnedAt: number;

  private constructor(
    readonly httpPort: number,
    { env, logFile, built, main: builtMain, nodeFlags: flags, wrapper }: AggregatorStart,
  ) {
    this.spawnedAt = performance.now();
    // The built app resides in less memory than the source compiled on load (no compiler in the process).
    const { child, log } = spawnApp('aggregator', {
      env: { ...env, NO_COLOR: '1', KAFKAJS_NO_PARTITIONER_WARNING: '1' }, port: httpPort, logFile, appendLog: true,
      main: builtMain ?? (built ? BUILT_MAIN : undefined), nodeFlags: aggregatorNodeFlags(flags), wrapper,
    });
    this.#child = child;
    this.#log = log;
    this.exited = new Promise((resolve) => this.#child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /**
   * Starts an aggregator with the given settings; its output is appended to `logFile`.
   */
  static start(options: AggregatorStart): AggregatorProcess {
    return new AggregatorProcess(options.httpPort, options);
  }

  readonly name = 'aggregator';

  /** CPU time the process has used so far (user + system), from /proc: Linux only. */
  cpuMs(): number {
    return processCpuMs(this.#child.pid!);
  }

  get pid(): number {
    return this.#child.pid!;
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /**
   * Resolves when `/health/ready` answers 200; rejects if the process exits or time runs out,
   * with the last answer (the reason the app gave).
   */
  async waitReady(timeoutMs = 60_000, pollMs = 200): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`aggregator exited before it was ready (see ${this.#log.path})`);
      const answer = await this.get('/health/ready').catch((error: Error) => ({ status: 0, body: error.message }));
      if (answer.status === 200) return;
      last = `${answer.status} ${answer.body}`;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    throw new Error(`aggregator on port ${this.httpPort} not ready within ${timeoutMs} ms, last answer ${last} (see ${this.#log.path})`);
  }

  /** The HTTP status of `/health/ready`, or 0 when nothing answers. */
  async ready(): Promise<number> {
    return this.get('/health/ready').then((r) => r.status, () => 0);
  }

  async get(path: string): Promise<{ status: number; body: string }> {
    const response = await fetch(`http://127.0.0.1:${this.httpPort}${path}`, { signal: AbortSignal.timeout(3_000) });
    return { status: response.status, body: await response.text() };
  }

  /** A counter or gauge from `/metrics` (summed over labels), or undefined when absent. */
  async metric(name: string): Promise<number | undefined> {
    const { body } = await this.get('/metrics');
    const values = body
      .split('\n')
      .filter((line) => line.startsWith(name + ' ') || line.startsWith(name + '{'))
      .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)));
    return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0);
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.running) this.#child.kill(signal);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.kill(signal);
    const result = await this.exited;
    this.#log.end();
    return result;
  }
}
