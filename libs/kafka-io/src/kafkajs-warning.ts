let installed = false;

/**
 * kafkajs 2.2.4 schedules its request queue's next check with
 * `setTimeout(…, throttledUntil - Date.now())` before any throttle was ever set (throttledUntil
 * is -1), so the delay is minus the epoch. Node 24 runs it after 1 ms, as intended, but prints a
 * TimeoutNegativeWarning to stderr once in every process that talks to Kafka, noise in every
 * terminal (`npm run live`, `npm run demo`). This drops that warning, recognised by the
 * request queue's method in its stack (by name: an app's build bundles kafkajs, so its path is
 * not in the stack there), and leaves every other warning to Node's own printing.
 * Each app and tool that uses kafkajs calls it first thing.
 */
export function ignoreKafkajsNegativeTimeoutWarning(): void {
  if (installed) return;
  installed = true;
  const printers = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error) => {
    if (warning.name === 'TimeoutNegativeWarning' && /\bscheduleCheckPendingRequests\b/.test(warning.stack ?? '')) return;
    for (const print of printers) print(warning);
  });
}
