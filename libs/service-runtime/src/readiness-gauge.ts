import { Gauge, Registry } from 'prom-client';
import { withTimeout } from './timeout';

/** A readiness check that answers true (ready) or false; it should not throw, but may. */
export type ReadinessProbe = () => Promise<boolean>;

/** A scrape must not wait for a check that hangs (Prometheus gives up after 10 s by default). */
const PROBE_TIMEOUT_MS = 5_000;

/**
 * `<app>_ready`: 1 while the app's readiness check passes, 0 otherwise. The check runs at each
 * scrape, so Prometheus sees what `GET /health/ready` would answer without a prober of its own;
 * until the health module hands its check over (start-up) the app counts as not ready.
 */
export class ReadinessGauge {
  #probe: ReadinessProbe = () => Promise.resolve(false);

  constructor(registry: Registry, name: string) {
    const probe = (): Promise<boolean> => this.#probe();
    new Gauge({
      name,
      help: '1 while GET /health/ready answers 200, 0 otherwise (checked at each scrape)',
      registers: [registry],
      async collect() {
        const ready = await withTimeout(probe().catch(() => false), PROBE_TIMEOUT_MS, () => false);
        this.set(ready ? 1 : 0);
      },
    });
  }

  /** The check the gauge reports from now on. */
  probeWith(probe: ReadinessProbe): void {
    this.#probe = probe;
  }
}
