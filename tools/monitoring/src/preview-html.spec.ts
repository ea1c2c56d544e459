import type { PanelData } from './panel-series';
import { formatValue, previewHtml } from './preview-html';

describe('formatValue', () => {
  it("writes Grafana's units", () => {
    expect(formatValue(1234, 'ops')).toBe('1.23k/s');
    expect(formatValue(0.0425, 's')).toBe('42.5 ms');
    expect(formatValue(2.5, 's')).toBe('2.5 s');
    expect(formatValue(0.125, 'percentunit')).toBe('12.5%');
    expect(formatValue(0, 'short')).toBe('0');
    expect(formatValue(3_400_000, undefined)).toBe('3.4M');
  });
});

describe('previewHtml', () => {
  const range = { startS: 1_796_688_000, endS: 1_796_688_600, stepS: 60 };
  const panel = (type: string, title: string, x = 0, y = 0) => ({ id: 1, type, title, gridPos: { x, y, w: 12, h: 8 }, fieldConfig: { defaults: { unit: 'ops' } } });
  const html = (panels: PanelData[]) => previewHtml('cryptostream: pipeline', panels, range);

  it("places each panel on Grafana's grid and draws a line per series, broken where samples are missing", () => {
    const page = html([
      { panel: panel('timeseries', 'Trades <published>', 12, 8), series: [{ name: 'TRXUSDT', points: [[range.startS, 1], [range.startS + 60, 2], [range.startS + 600, 3]] }, { name: 'BTCUSDT', points: [[range.startS, 4]] }] },
    ]);
    expect(page).toContain('left:800px;top:240px');
    expect(page).toContain('Trades &lt;published&gt;');
    const paths = [...page.matchAll(/<path d="([^"]+)"/g)].map((match) => match[1]);
    expect(paths).toHaveLength(2);
    expect(paths[0].match(/[ML]/g)).toEqual(['M', 'L', 'M']);
    expect(page).toContain('4/s'); // the highest value, on the axis
    expect(page).toContain('TRXUSDT');
  });

  it('draws a state timeline as bands, green while 1 and red while 0', () => {
    const page = html([{ panel: panel('state-timeline', 'Apps up'), series: [{ name: 'api ready', points: [[range.startS, 1], [range.startS + 60, 0]] }] }]);
    expect(page.match(/fill="#73BF69"/g)).toHaveLength(1);
    expect(page.match(/fill="#F2495C"/g)).toHaveLength(1);
  });

  it('says No data, or the error, instead of an empty chart', () => {
    const page = html([
      { panel: panel('timeseries', 'quiet'), series: [] },
      { panel: panel('timeseries', 'refused'), series: [], error: 'A: parse error' },
    ]);
    expect(page).toContain('No data');
    expect(page).toContain('A: parse error');
    expect(page).not.toContain('<path');
  });
});
