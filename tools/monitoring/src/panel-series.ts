import { Dashboard, expandPromql, Panel, panelsOf } from './grafana-dashboards';

/** One series of a panel: its name as Grafana's legend shows it, and its points (unix seconds, value). */
export interface Series {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
}

/** A panel of a dashboard with what its queries answered over the range. */
export interface PanelData {
  readonly panel: Panel;
  readonly series: readonly Series[];
  /** A query that failed, with Prometheus's reason (drawn in the panel). */
  readonly error?: string;
}

/** The range every panel is read over, in unix seconds. */
export interface TimeRange {
  readonly startS: number;
  readonly endS: number;
  readonly stepS: number;
}

/** A Prometheus range query's matrix (`/api/v1/query_range`, resultType matrix). */
export type RangeQuery = (expr: string, range: TimeRange) => Promise<readonly { readonly metric: Readonly<Record<string, string>>; readonly values: readonly (readonly [number, string])[] }[]>;

/** Grafana's legend: `{{label}}` replaced by the series' value of the label (empty when it has none); no format, the series' labels. */
export function legendOf(format: string | undefined, metric: Readonly<Record<string, string>>): string {
  if (format) return format.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, label: string) => metric[label] ?? '').replace(/\s+/g, ' ').trim();
  const labels = Object.entries(metric).filter(([name]) => name !== '__name__');
  return `${metric['__name__'] ?? ''}{${labels.map(([name, value]) => `${name}="${value}"`).join(', ')}}`;
}

/**
 * Every drawn panel of `dashboard` (rows' panels too; rows themselves carry no query) with its
 * targets' series over `range`, as Grafana would ask Prometheus for them. Values that are not
 * numbers (NaN, ±Inf) are left out, as gaps.
 */
export async function panelSeries(dashboard: Dashboard, query: RangeQuery, range: TimeRange): Promise<PanelData[]> {
  const data: PanelData[] = [];
  for (const panel of panelsOf(dashboard)) {
    const series: Series[] = [];
    let error: string | undefined;
    for (const target of panel.targets ?? []) {
      if (!target.expr) continue;
      try {
        for (const one of await query(expandPromql(target.expr), range)) {
          const points = one.values.map(([atS, value]) => [atS, Number(value)] as const).filter(([, value]) => Number.isFinite(value));
          series.push({ name: legendOf(target.legendFormat, one.metric), points });
        }
      } catch (failure) {
        error = `${target.refId}: ${(failure as Error).message}`;
      }
    }
    data.push({ panel, series, ...(error === undefined ? {} : { error }) });
  }
  return data;
}

/** Range queries against the Prometheus at `url`; a query Prometheus refuses rejects with its reason. */
export function prometheusRangeQuery(url: string): RangeQuery {
  return async (expr, { startS, endS, stepS }) => {
    const params = new URLSearchParams({ query: expr, start: String(startS), end: String(endS), step: String(stepS) });
    const response = await fetch(`${url}/api/v1/query_range?${params}`);
    const body = (await response.json()) as { status: string; error?: string; data?: { result: Awaited<ReturnType<RangeQuery>> } };
    if (body.status !== 'success' || !body.data) throw new Error(body.error ?? `HTTP ${response.status}`);
    return body.data.result;
  };
}
