import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** Starts a process that installs exitOnSignals with the given close(), signals it, and reports. */
async function exitCodeAfterSigterm(closeBody: string, deadlineMs: number): Promise<{ code: number | null; output: string }> {
  const script = `
    const { exitOnSignals } = require(${JSON.stringify(join(__dirname, 'exit-on-signals.ts'))});
    exitOnSignals(async () => { ${closeBody} }, ${deadlineMs}, { log: (m) => console.log(m), error: (m) => console.log(m) });
    console.log('ready');
    setInterval(() => undefined, 1000);
  `;
  const child = spawn(process.execPath, ['-r', '@swc-node/register', '-e', script], { cwd: join(__dirname, '../../..') });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
    if (output.includes('ready') && !child.killed) child.kill('SIGTERM');
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output };
}

describe('exitOnSignals', () => {
  it('exits 0 once the graceful close has finished', async () => {
    const { code, output } = await exitCodeAfterSigterm('await new Promise((r) => setTimeout(r, 50)); console.log("closed");', 5_000);
    expect(code).toBe(0);
    expect(output).toMatch(/SIGTERM received; closing within 5000 ms\nclosed/);
  }, 20_000);

  it('exits 1 when the close outlives the deadline', async () => {
    const { code, output } = await exitCodeAfterSigterm('await new Promise(() => undefined);', 300);
    expect(code).toBe(1);
    expect(output).toMatch(/shutdown took longer than 300 ms/);
  }, 20_000);
});
