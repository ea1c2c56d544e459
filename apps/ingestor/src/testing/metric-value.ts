/** The values of the samples named `name` in Prometheus text that carry every one of `labels`. */
export function metricSamples(text: string, name: string, labels: Record<string, string> = {}): number[] {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const values: number[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([^{\s]+)(?:\{([^}]*)\})?\s+(\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] ?? '').split(',');
    if (wanted.every((label) => present.includes(label))) values.push(Number(match[3]));
  }
  return values;
}

/** The sum of those samples, e.g. `metricValue(text, 'x_total', { symbol: 'A' })`; 0 when absent. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  return metricSamples(text, name, labels).reduce((sum, value) => sum + value, 0);
}
