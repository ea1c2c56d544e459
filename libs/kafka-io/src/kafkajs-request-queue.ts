/**
 * kafkajs 2.2.4's request queue schedules its next look at pending requests with
 * `setTimeout(…, throttledUntil - Date.now())` (`kafkajs/src/network/requestQueue/index.js`),
 * also when nothing was ever throttled (throttledUntil is -1): a delay of minus the epoch. Node
 * runs such a timer after 1 ms, as kafkajs means it to, but prints a TimeoutNegativeWarning once
 * in every process that talks to Kafka: apps, tools, benchmarks and test workers alike.
 * {@link installRequestQueueSchedule} gives the queue the same method with the delay Node would
 * use (at least 1 ms), so the same timer runs and nothing is printed. It patches kafkajs's class,
 * not its module cache, so it holds when an app's build bundles kafkajs.
 */

/** The part of kafkajs's `RequestQueue` the schedule reads and sets. */
export interface KafkajsRequestQueue {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  readonly pending: readonly unknown[];
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

const RequestQueue = require('kafkajs/src/network/requestQueue') as { prototype: KafkajsRequestQueue };

/** kafkajs's own interval for a queue that has pending requests and no throttle. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;
/** What Node makes of a delay below 1 ms. */
const MIN_TIMEOUT_MS = 1;

let installed = false;

export function installRequestQueueSchedule(): void {
  if (installed) return;
  installed = true;
  RequestQueue.prototype.scheduleCheckPendingRequests = function (this: KafkajsRequestQueue): void {
    if (this.throttleCheckTimeoutId) return;
    let scheduleAt = this.throttledUntil - Date.now();
    if (this.pending.length > 0) scheduleAt = scheduleAt > 0 ? scheduleAt : CHECK_PENDING_REQUESTS_INTERVAL_MS;
    this.throttleCheckTimeoutId = setTimeout(() => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    }, Math.max(MIN_TIMEOUT_MS, scheduleAt));
  };
}
