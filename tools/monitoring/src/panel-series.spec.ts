import type { Dashboard } from './grafana-dashboards';
import { legendOf, panelSeries, RangeQuery } from './panel-series';

describe('legendOf', () => {
  it("replaces {{label}} as Grafana's legend does, a missing label by nothing", () => {
    expect(legendOf('{{job}} {{instance}} scraped', { job: 'api', instance: '127.0.0.1:3000' })).toBe('api 127.0.0.1:3000 scraped');
    expect(legendOf('p{{ quantile }} {{route}}', { quantile: '0.99' })).toBe('p0.99');
  });

  it('names a series by its labels when the target has no format', () => {
    expect(legendOf(undefined, { __name__: 'up', job: 'api' })).toBe('up{job="api"}');
  });
});

describe('panelSeries', () => {
  const dashboard: Dashboard = {
    uid: 'spec',
    title: 'spec',
    panels: [
      { id: 1, type: 'row', title: 'Rates', panels: [{ id: 2, type: 'timeseries', title: 'inner', targets: [{ refId: 'A', expr: 'rate(x_total[$__rate_interval])', legendFormat: '{{symbol}}' }] }] },
      { id: 3, type: 'timeseries', title: 'broken', targets: [{ refId: 'A', expr: 'bad(' }, { refId: 'B', expr: 'y' }] },
    ],
  };
  const range = { startS: 1000, endS: 1600, stepS: 60 };

  it("asks for every target of every panel, rows' panels too, with Grafana's intervals filled in; drops values that are not numbers", async () => {
    const asked: string[] = [];
    const query: RangeQuery = async (expr) => {
      asked.push(expr);
      if (expr === 'bad(') throw new Error('parse error');
      return [{ metric: { symbol: 'TRXUSDT' }, values: [[1000, '1.5'], [1060, 'NaN'], [1120, '+Inf'], [1180, '2']] }];
    };
    const data = await panelSeries(dashboard, query, range);
    expect(asked).toEqual(['rate(x_total[1m])', 'bad(', 'y']);
    expect(data.map(({ panel, series, error }) => ({ title: panel.title, series, error }))).toEqual([
      { title: 'Rates', series: [], error: undefined },
      { title: 'inner', series: [{ name: 'TRXUSDT', points: [[1000, 1.5], [1180, 2]] }], error: undefined },
      { title: 'broken', series: [{ name: '{symbol="TRXUSDT"}', points: [[1000, 1.5], [1180, 2]] }], error: 'A: parse error' },
    ]);
  });
});
