import { promqlNames } from './promql-names';

const namesOf = (expr: string) => {
  const { metrics, groupingLabels } = promqlNames(expr);
  return { metrics: Object.fromEntries([...metrics].map(([name, labels]) => [name, [...labels].sort()])), grouping: [...groupingLabels].sort() };
};

describe('promqlNames', () => {
  it('finds metric names and their matcher labels, not functions, keywords, strings or durations', () => {
    expect(namesOf('sum by (symbol) (rate(ingestor_published_total{job="ingestor", symbol=~"BTC.*"}[5m])) > 0')).toEqual({
      metrics: { ingestor_published_total: ['job', 'symbol'] }, grouping: ['symbol'],
    });
    expect(namesOf('histogram_quantile(0.99, sum by (le, route) (rate(api_http_request_duration_seconds_bucket[1m])))')).toEqual({
      metrics: { api_http_request_duration_seconds_bucket: [] }, grouping: ['le', 'route'],
    });
  });

  it('reads joins, set operators, time() and offsets', () => {
    expect(namesOf(`(time() - max by (symbol) (aggregator_window_last_written_timestamp_seconds) > 180
      unless on (symbol) foo_total offset 5m) and on (symbol) bar{quantile="0.5"} / ignoring (partition) group_left baz`)).toEqual({
      metrics: { aggregator_window_last_written_timestamp_seconds: [], foo_total: [], bar: ['quantile'], baz: [] },
      grouping: ['partition', 'symbol'],
    });
  });

  it('keeps a selector without a metric name apart, with its labels', () => {
    expect(namesOf('{__name__=~"a_ready|b_ready", job="x"} == 0').metrics).toEqual({ '{__name__=~"a_ready|b_ready", job="x"}': ['job'] });
  });

  it('does not take a label value that looks like a metric for one', () => {
    expect(namesOf('up{job=~"ingestor|aggregator"} == 0')).toEqual({ metrics: { up: ['job'] }, grouping: [] });
  });
});
