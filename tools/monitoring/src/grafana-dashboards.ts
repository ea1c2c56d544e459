import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GRAFANA_DIR } from './monitoring-files';

export interface Target {
  readonly refId: string;
  readonly expr?: string;
  /** Grafana's series name, `{{label}}` replaced by the series' label. */
  readonly legendFormat?: string;
  readonly rawSql?: string;
  readonly datasource?: { type: string; uid: string };
}

export interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  /** Where Grafana draws it: a grid 24 columns wide, rows of 30 px. */
  readonly gridPos?: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly fieldConfig?: { readonly defaults?: { readonly unit?: string } };
  readonly datasource?: { type: string; uid: string };
  readonly targets?: Target[];
  readonly panels?: Panel[];
}

interface Variable {
  readonly name: string;
  readonly type: string;
  readonly query?: string;
  readonly datasource?: { type: string; uid: string };
}

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly panels: Panel[];
  readonly templating?: { list: Variable[] };
}

/** One query of a dashboard: a panel's target or a variable's query. */
export interface DashboardQuery {
  readonly where: string;
  readonly kind: 'prometheus' | 'mysql';
  readonly text: string;
}

/** The dashboards of deploy/grafana/dashboards, by file name. */
export function dashboards(): Map<string, Dashboard> {
  const dir = join(GRAFANA_DIR, 'dashboards');
  return new Map(readdirSync(dir).filter((file) => file.endsWith('.json')).map((file) => [file, JSON.parse(readFileSync(join(dir, file), 'utf8')) as Dashboard]));
}

/** Every panel of a dashboard in its order, rows' panels after their row. */
export function panelsOf(dashboard: Dashboard): Panel[] {
  const panels: Panel[] = [];
  const visit = (panel: Panel) => {
    panels.push(panel);
    for (const inner of panel.panels ?? []) visit(inner);
  };
  dashboard.panels.forEach(visit);
  return panels;
}

/** Every query of every dashboard: panels' targets (rows' panels too) and query variables. */
export function dashboardQueries(): DashboardQuery[] {
  const queries: DashboardQuery[] = [];
  for (const [file, dashboard] of dashboards()) {
    for (const panel of panelsOf(dashboard)) {
      for (const target of panel.targets ?? []) {
        const type = (target.datasource ?? panel.datasource)?.type;
        const text = type === 'prometheus' ? target.expr : target.rawSql;
        if (type !== 'prometheus' && type !== 'mysql') throw new Error(`${file}: panel "${panel.title}" uses a data source of type ${type}`);
        if (!text) throw new Error(`${file}: panel "${panel.title}" target ${target.refId} has no query`);
        queries.push({ where: `${file} "${panel.title}" ${target.refId}`, kind: type, text });
      }
    }
    for (const variable of dashboard.templating?.list ?? []) {
      if (variable.type !== 'query') continue;
      queries.push({ where: `${file} variable $${variable.name}`, kind: variable.datasource?.type === 'mysql' ? 'mysql' : 'prometheus', text: variable.query ?? '' });
    }
  }
  return queries;
}

/** Grafana's interval variables, as Grafana would fill them for a short range. */
export function expandPromql(expr: string): string {
  return expr.replace(/\$__rate_interval|\$__interval|\$__range/g, '1m');
}

/**
 * A MySQL panel's SQL as Grafana's MySQL data source sends it: `$__timeFilter(column)` for the
 * range [fromS, toS], and the dashboard variables given.
 */
export function expandSql(sql: string, variables: Record<string, string>, fromS: number, toS: number): string {
  return sql
    .replace(/\$__timeFilter\(([^)]+)\)/g, (_, column: string) => `${column.trim()} BETWEEN FROM_UNIXTIME(${fromS}) AND FROM_UNIXTIME(${toS})`)
    .replace(/\$(\w+)/g, (whole, name: string) => variables[name] ?? whole);
}
