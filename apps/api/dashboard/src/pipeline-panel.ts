import type { PipelineState, ServiceState } from './candle';

/** Whether data flows: readiness of the other apps, consumer lag, age of the newest window. */
export class PipelinePanel {
  constructor(private readonly body: HTMLTableSectionElement) {}

  show(state: PipelineState, stream: string): void {
    const rows: [string, string, boolean | undefined][] = [
      ['ingestor', service(state.ingestor), state.ingestor.ready],
      ['aggregator', service(state.aggregator), state.aggregator.ready],
      ['consumer lag', state.consumerLag === null ? 'unknown' : `${state.consumerLag} messages`, state.consumerLag === null ? undefined : state.consumerLag < 10_000],
      ['newest window', state.newestWindowAgeMs === null ? 'none yet' : `ended ${age(state.newestWindowAgeMs)} ago`, undefined],
      ['live stream', stream, stream === 'live'],
    ];
    this.body.replaceChildren(...rows.map(([name, text, good]) => {
      const row = document.createElement('tr');
      row.dataset['item'] = name;
      const label = document.createElement('td');
      label.textContent = name;
      const value = document.createElement('td');
      value.textContent = text;
      if (good !== undefined) value.className = good ? 'ok' : 'bad';
      row.append(label, value);
      return row;
    }));
  }

  showError(message: string): void {
    const row = document.createElement('tr');
    const cell = document.createElement('td');
    cell.className = 'bad';
    cell.textContent = `pipeline state unavailable: ${message}`;
    row.append(cell);
    this.body.replaceChildren(row);
  }
}

const service = (state: ServiceState): string => (state.ready ? 'ready' : `not ready (${state.problem ?? 'no reason given'})`);

function age(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}
