/**
 * Instructions a process executes, counted by valgrind's callgrind: the same program on the same
 * input counts nearly the same whatever else the machine runs, where CPU time on this shared
 * two-core machine moves by ±20 % from run to run. A process is started under callgrind with
 * counting off ({@link callgrindWrapper}); {@link startCounting} turns it on (after start-up) and
 * {@link countedInstructions} dumps what it counted since. Under callgrind a process runs about
 * a hundred times slower: the figure is instructions, not time. V8 runs single-threaded there
 * (`--single-threaded`: no concurrent compiler or marker), so that when optimized code is ready
 * does not move the count.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, rmSync } from 'node:fs';

/** The command that runs node under callgrind, counting off until {@link startCounting}; its dumps go to `outFile`.N. */
export function callgrindWrapper(outFile: string): string[] {
  return ['valgrind', '--tool=callgrind', '--instr-atstart=no', '--dump-instr=no', '--compress-strings=no', `--callgrind-out-file=${outFile}`, '--quiet'];
}

/** V8 flags added to a counted process's own. */
export const COUNTED_NODE_FLAGS = ['--single-threaded'];

/** Turns counting on in the callgrind process `pid`. */
export function startCounting(pid: number): void {
  execFileSync('callgrind_control', ['--instr=on', String(pid)], { stdio: 'ignore' });
}

/**
 * Instructions counted in `pid` since {@link startCounting}: dumps them (callgrind writes
 * `outFile`.1) and reads the total. The dump is removed, or kept as `keepAs` (for
 * `callgrind_annotate`: native code by function, V8's generated code as addresses).
 */
export function countedInstructions(pid: number, outFile: string, keepAs?: string): number {
  execFileSync('callgrind_control', ['--dump', String(pid)], { stdio: 'ignore' });
  const dump = `${outFile}.1`;
  try {
    const total = /^(?:summary|totals): (\d+)/m.exec(readFileSync(dump, 'latin1'))?.[1];
    if (total === undefined) throw new Error(`callgrind dump ${dump} has no total`);
    return Number(total);
  } finally {
    if (keepAs) renameSync(dump, keepAs);
    else rmSync(dump, { force: true });
  }
}
