import { spawnSync } from 'node:child_process';

/** Runs `script` in a fresh node (so process-wide listeners stay there) and returns its stderr. */
function stderrOf(script: string): string {
  const result = spawnSync(process.execPath, ['-r', '@swc-node/register', '-e', script], { cwd: `${__dirname}/../../..`, encoding: 'utf8', timeout: 30_000 });
  return result.stderr;
}

describe('ignoreKafkajsNegativeTimeoutWarning', () => {
  const kafkajsQueue = `
    const { ignoreKafkajsNegativeTimeoutWarning } = require('./libs/kafka-io/src/kafkajs-warning');
    ignoreKafkajsNegativeTimeoutWarning();
    const RequestQueue = require('kafkajs/src/network/requestQueue');
    const queue = new RequestQueue({ instrumentationEmitter: { emit() {} }, maxInFlightRequests: 1, requestTimeout: 1000,
      enforceRequestTimeout: false, clientId: 'spec', broker: 'localhost:1', logger: { debug() {}, info() {}, warn() {}, error() {}, namespace() { return this; } } });
    queue.scheduleCheckPendingRequests();
    setTimeout(() => queue.destroy(), 20);
  `;

  it("drops kafkajs' request-queue TimeoutNegativeWarning", () => {
    expect(stderrOf(kafkajsQueue.replace('ignoreKafkajsNegativeTimeoutWarning();', ''))).toContain('TimeoutNegativeWarning');
    expect(stderrOf(kafkajsQueue)).not.toContain('TimeoutNegativeWarning');
  });

  it('drops it from a bundled kafkajs too, where no kafkajs path is in the stack', () => {
    const bundled = `
      require('./libs/kafka-io/src/kafkajs-warning').ignoreKafkajsNegativeTimeoutWarning();
      class RequestQueue { scheduleCheckPendingRequests() { setTimeout(() => {}, -1 - Date.now()); } }
      new RequestQueue().scheduleCheckPendingRequests();
    `;
    expect(stderrOf(bundled.replace("require('./libs/kafka-io/src/kafkajs-warning').ignoreKafkajsNegativeTimeoutWarning();", ''))).toContain('TimeoutNegativeWarning');
    expect(stderrOf(bundled)).not.toContain('TimeoutNegativeWarning');
  });

  it('still prints any other warning, a negative timeout of our own included', () => {
    const stderr = stderrOf(`
      require('./libs/kafka-io/src/kafkajs-warning').ignoreKafkajsNegativeTimeoutWarning();
      setTimeout(() => {}, -5);
      process.emitWarning('something else', 'DeprecationWarning');
    `);
    expect(stderr).toContain('TimeoutNegativeWarning: -5 is a negative number');
    expect(stderr).toContain('DeprecationWarning: something else');
  });
});
