import { spawnSync } from 'node:child_process';
import { installRequestQueueSchedule, KafkajsRequestQueue } from './kafkajs-request-queue';

const RequestQueue = require('kafkajs/src/network/requestQueue') as { prototype: KafkajsRequestQueue };
const kafkajsSchedule = RequestQueue.prototype.scheduleCheckPendingRequests;

/** Runs `script` in a fresh node (kafkajs unpatched there unless it patches it) and returns its stderr. */
function stderrOf(script: string): string {
  const result = spawnSync(process.execPath, ['-r', '@swc-node/register', '-e', script], { cwd: `${__dirname}/../../..`, encoding: 'utf8', timeout: 30_000 });
  return result.stderr;
}

/** The delay Node gives a timer asked for `delayMs` (below 1, or not a number: 1). */
const nodeDelay = (delayMs: number) => (delayMs >= 1 ? delayMs : 1);

describe('installRequestQueueSchedule', () => {
  it("leaves a queue's first check without kafkajs's TimeoutNegativeWarning", () => {
    const script = (install: boolean) => `
      ${install ? "require('./libs/kafka-io/src/kafkajs-request-queue').installRequestQueueSchedule();" : ''}
      const RequestQueue = require('kafkajs/src/network/requestQueue');
      const queue = new RequestQueue({ instrumentationEmitter: { emit() {} }, maxInFlightRequests: 1, requestTimeout: 1000,
        enforceRequestTimeout: false, clientId: 'spec', broker: 'localhost:1', logger: { debug() {}, info() {}, warn() {}, error() {}, namespace() { return this; } } });
      queue.scheduleCheckPendingRequests();
      setTimeout(() => queue.destroy(), 20);
    `;
    expect(stderrOf(script(false))).toContain('TimeoutNegativeWarning');
    expect(stderrOf(script(true))).not.toContain('Warning');
  });

  it('sets the timer kafkajs sets, with the delay Node would give it, in every state of the queue', () => {
    jest.useFakeTimers({ now: Date.UTC(2026, 11, 8) });
    try {
      installRequestQueueSchedule();
      const patched = RequestQueue.prototype.scheduleCheckPendingRequests;
      expect(patched).not.toBe(kafkajsSchedule);
      // throttledUntil: never throttled (-1), or that many ms from the moment of the call.
      const states = [
        { throttled: 'never', pending: [] },
        { throttled: 'never', pending: ['a request'] },
        { throttled: -5, pending: ['a request'] },
        { throttled: 0, pending: [] },
        { throttled: 500, pending: [] },
        { throttled: 500, pending: ['a request', 'another'] },
      ] as const;
      const setTimeoutSpy = jest.spyOn(global, 'setTimeout');
      for (const state of states) {
        const delays = [kafkajsSchedule, patched].map((schedule) => {
          setTimeoutSpy.mockClear();
          const throttledUntil = state.throttled === 'never' ? -1 : Date.now() + state.throttled;
          const queue: KafkajsRequestQueue = { throttledUntil, pending: state.pending, throttleCheckTimeoutId: null, checkPendingRequests: jest.fn(), scheduleCheckPendingRequests: schedule };
          queue.scheduleCheckPendingRequests();
          expect(setTimeoutSpy).toHaveBeenCalledTimes(1);
          queue.scheduleCheckPendingRequests(); // a check already scheduled: no second timer
          expect(setTimeoutSpy).toHaveBeenCalledTimes(1);
          jest.runOnlyPendingTimers();
          expect(queue.checkPendingRequests).toHaveBeenCalledTimes(1);
          expect(queue.throttleCheckTimeoutId).toBeNull();
          return setTimeoutSpy.mock.calls[0][1] as number;
        });
        expect({ state, delay: nodeDelay(delays[0]) }).toEqual({ state, delay: delays[1] });
      }
    } finally {
      jest.useRealTimers();
    }
  });
});
