/**
 * SIGTERM/SIGINT: run the app's graceful close (Nest's shutdown hooks: stop sources, flush
 * producers, write closed windows), then exit 0, so an orchestrator sees a clean stop. Past the
 * deadline, exit 1: both apps are safe to kill (the aggregator resumes from offsets stored with
 * its windows, the ingestor from the topic's last ids).
 */
export function exitOnSignals(
  close: () => Promise<void>,
  deadlineMs: number,
  log: { log(message: string): void; error(message: string): void },
): void {
  const onSignal = (signal: NodeJS.Signals) => {
    log.log(`${signal} received; closing within ${deadlineMs} ms`);
    setTimeout(() => {
      log.error(`shutdown took longer than ${deadlineMs} ms; exiting`);
      process.exit(1);
    }, deadlineMs).unref();
    close().then(
      () => process.exit(0),
      (error: Error) => {
        log.error(`shutdown failed: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
