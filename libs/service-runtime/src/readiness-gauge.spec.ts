import { Registry } from 'prom-client';
import { ReadinessGauge } from './readiness-gauge';

async function sampleOf(registry: Registry): Promise<number | undefined> {
  const metric = await registry.getSingleMetric('app_ready')?.get();
  return metric?.values[0]?.value;
}

describe('ReadinessGauge', () => {
  it('reports not ready until a check is handed over, then what the check answers at each scrape', async () => {
    const registry = new Registry();
    const gauge = new ReadinessGauge(registry, 'app_ready');
    expect(await sampleOf(registry)).toBe(0);
    let ready = true;
    gauge.probeWith(async () => ready);
    expect(await sampleOf(registry)).toBe(1);
    ready = false;
    expect(await sampleOf(registry)).toBe(0);
    expect(await registry.metrics()).toContain('# TYPE app_ready gauge\napp_ready 0');
  });

  it('counts a check that throws as not ready', async () => {
    const registry = new Registry();
    new ReadinessGauge(registry, 'app_ready').probeWith(() => Promise.reject(new Error('MySQL is gone')));
    expect(await sampleOf(registry)).toBe(0);
  });
});
