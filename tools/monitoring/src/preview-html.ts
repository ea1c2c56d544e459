import type { PanelData, Series, TimeRange } from './panel-series';

/** The page's width; Grafana's grid is 24 columns of it, and rows of 30 px. */
const WIDTH = 1600;
const COLUMN = WIDTH / 24;
const ROW = 30;
/** Grafana's classic palette, in its order. */
const COLORS = ['#73BF69', '#F2CC0C', '#8AB8FF', '#FF780A', '#F2495C', '#5794F2', '#B877D9', '#FADE2A', '#1F78C1', '#96D98D'];
/** Series named in a legend (two a line); with more, one entry more says how many are left out. */
const LEGEND_SERIES = 4;

const escape = (text: string) => text.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char]!);

/** A number for an axis: at most 3 significant digits, k/M for large ones. */
function compact(value: number): string {
  const size = Math.abs(value);
  if (size >= 1e6) return `${+(value / 1e6).toPrecision(3)}M`;
  if (size >= 1e3) return `${+(value / 1e3).toPrecision(3)}k`;
  return size === 0 ? '0' : `${+value.toPrecision(3)}`;
}

/** A value in a Grafana unit: `ops` per second, `s` (below a second in ms), `percentunit` (a ratio), `short` and the rest as numbers. */
export function formatValue(value: number, unit: string | undefined): string {
  switch (unit) {
    case 'ops':
      return `${compact(value)}/s`;
    case 's':
      return Math.abs(value) < 1 && value !== 0 ? `${compact(value * 1000)} ms` : `${compact(value)} s`;
    case 'percentunit':
      return `${compact(value * 100)}%`;
    default:
      return compact(value);
  }
}

const clock = (atS: number) => new Date(atS * 1000).toISOString().slice(11, 16);

/** A time series panel: one line per series, its y range from 0 (or the lowest value) to the highest, three time labels. */
function timeSeriesSvg(series: readonly Series[], unit: string | undefined, range: TimeRange, width: number, height: number): string {
  const left = 64;
  const bottom = 18;
  const values = series.flatMap((one) => one.points.map(([, value]) => value));
  const low = Math.min(0, ...values);
  const highest = Math.max(...values);
  // A flat series (all 0, say) gets the axis 0 to 1, as Grafana gives it.
  const high = highest > low ? highest : low + 1;
  const x = (atS: number) => left + ((atS - range.startS) / (range.endS - range.startS)) * (width - left - 8);
  const y = (value: number) => 6 + (1 - (value - low) / (high - low)) * (height - bottom - 12);
  const grid = [low, (low + high) / 2, high].map((value) => `<line x1="${left}" x2="${width - 8}" y1="${y(value)}" y2="${y(value)}" class="grid"/><text x="${left - 6}" y="${y(value) + 4}" class="axis" text-anchor="end">${escape(formatValue(value, unit))}</text>`);
  const times = [range.startS, (range.startS + range.endS) / 2, range.endS].map((atS, index) => `<text x="${x(atS)}" y="${height - 4}" class="axis" text-anchor="${['start', 'middle', 'end'][index]}">${clock(atS)}</text>`);
  const lines = series.map((one, index) => {
    // A gap of more than two steps breaks the line, as Grafana does for missing samples.
    let path = '';
    let previous: number | undefined;
    for (const [atS, value] of one.points) {
      path += `${previous === undefined || atS - previous > 2 * range.stepS ? 'M' : 'L'}${x(atS).toFixed(1)},${y(value).toFixed(1)}`;
      previous = atS;
    }
    return `<path d="${path}" stroke="${COLORS[index % COLORS.length]}" class="line"/>`;
  });
  return `<svg width="${width}" height="${height}">${grid.join('')}${times.join('')}${lines.join('')}</svg>`;
}

/** A state timeline: a band per series, green while 1, red while 0, empty where there was no sample. */
function stateTimelineSvg(series: readonly Series[], range: TimeRange, width: number, height: number): string {
  const left = 190;
  const band = Math.min(22, (height - 18) / Math.max(1, series.length));
  const x = (atS: number) => left + ((atS - range.startS) / (range.endS - range.startS)) * (width - left - 8);
  const rows = series.map((one, index) => {
    const top = index * band + 2;
    const cells = one.points.map(([atS, value]) => `<rect x="${x(atS - range.stepS / 2).toFixed(1)}" y="${top}" width="${(x(atS + range.stepS / 2) - x(atS - range.stepS / 2) + 0.5).toFixed(1)}" height="${band - 3}" fill="${value >= 1 ? '#73BF69' : '#F2495C'}"/>`);
    return `<text x="${left - 8}" y="${top + band / 2 + 2}" class="axis" text-anchor="end">${escape(one.name)}</text>${cells.join('')}`;
  });
  const times = [range.startS, range.endS].map((atS, index) => `<text x="${x(atS)}" y="${height - 4}" class="axis" text-anchor="${index === 0 ? 'start' : 'end'}">${clock(atS)}</text>`);
  return `<svg width="${width}" height="${height}">${rows.join('')}${times.join('')}</svg>`;
}

function legendEntries(series: readonly Series[]): string[] {
  const named = Math.min(series.length, LEGEND_SERIES);
  const entries = series.slice(0, named).map((one, index) => `<span><i style="background:${COLORS[index % COLORS.length]}"></i>${escape(one.name)}</span>`);
  if (series.length > named) entries.push(`<span>+ ${series.length - named} more</span>`);
  return entries;
}

function panelHtml({ panel, series, error }: PanelData, range: TimeRange): string {
  const { x, y, w, h } = panel.gridPos ?? { x: 0, y: 0, w: 24, h: 8 };
  const box = `left:${x * COLUMN}px;top:${y * ROW}px;width:${w * COLUMN - 8}px;height:${h * ROW - 8}px`;
  if (panel.type === 'row') return `<div class="row" style="${box}">${escape(panel.title)}</div>`;
  const width = w * COLUMN - 24;
  const legend = panel.type === 'timeseries' ? legendEntries(series) : [];
  const legendHeight = 18 * Math.ceil(legend.length / 2);
  const height = h * ROW - 8 - 36 - legendHeight;
  let body: string;
  if (error !== undefined) body = `<div class="empty">${escape(error)}</div>`;
  else if (series.every((one) => one.points.length === 0)) body = '<div class="empty">No data</div>';
  else if (panel.type === 'state-timeline') body = stateTimelineSvg(series, range, width, height);
  else body = `${timeSeriesSvg(series, panel.fieldConfig?.defaults?.unit, range, width, height)}<div class="legend">${legend.join('')}</div>`;
  return `<div class="panel" style="${box}"><div class="title">${escape(panel.title)}</div>${body}</div>`;
}

/**
 * A page drawing `panels` where the dashboard places them, in Grafana's dark theme's colours:
 * time series as lines with their legends, state timelines as bands. It is not Grafana: a
 * preview of what the dashboard's queries answer, for a picture where Grafana does not run.
 */
export function previewHtml(title: string, panels: readonly PanelData[], range: TimeRange): string {
  const height = Math.max(...panels.map(({ panel }) => ((panel.gridPos?.y ?? 0) + (panel.gridPos?.h ?? 8)) * ROW)) + 48;
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title><style>
body{margin:0;background:#111217;color:#ccccdc;font:12px Inter,Helvetica,Arial,sans-serif;width:${WIDTH + 16}px}
header{padding:12px 16px;font-size:16px;color:#fff}header small{color:#8e8e8e;font-size:12px;margin-left:12px}
main{position:relative;margin:0 8px;height:${height}px}
.panel{position:absolute;background:#181b1f;border:1px solid #2c3235;border-radius:2px;padding:0 8px;box-sizing:border-box}
.title{font-weight:500;color:#d8d9da;padding:7px 0 6px;white-space:nowrap;overflow:hidden}
.row{position:absolute;font-size:14px;color:#fff;font-weight:500;padding-top:6px}
.grid{stroke:#2c3235}.axis{fill:#8e8e8e;font-size:11px}.line{fill:none;stroke-width:1.5}
.legend span{display:inline-block;width:50%;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;line-height:18px}
.legend i{display:inline-block;width:14px;height:4px;margin-right:6px;vertical-align:middle;border-radius:2px}
.empty{color:#8e8e8e;text-align:center;padding-top:40px}
</style></head><body><header>${escape(title)}<small>${new Date(range.startS * 1000).toISOString().slice(0, 16).replace('T', ' ')} – ${clock(range.endS)} UTC</small></header>
<main>${panels.map((one) => panelHtml(one, range)).join('\n')}</main></body></html>`;
}
