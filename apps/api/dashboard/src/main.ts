import { fetchHistory, fetchPipeline, fetchSymbols, openStream } from './api-client';
import { CandleChart } from './candle-chart';
import { PipelinePanel } from './pipeline-panel';
import { WindowsTable } from './windows-table';

const PIPELINE_POLL_MS = 2_000;

const element = <T extends HTMLElement>(selector: string): T => {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`the page has no ${selector}`);
  return found;
};

const symbolPicker = element<HTMLSelectElement>('#symbol');
const intervalPicker = element<HTMLSelectElement>('#interval');
const streamBadge = element<HTMLElement>('#stream-state');
const note = element<HTMLElement>('#chart-note');
const chart = new CandleChart(element('#chart'));
const table = new WindowsTable(element<HTMLTableSectionElement>('#windows tbody'));
const pipeline = new PipelinePanel(element<HTMLTableSectionElement>('#pipeline tbody'));
let streamState = 'connecting';
let closeStream: (() => void) | undefined;

function fill(select: HTMLSelectElement, values: readonly string[], wanted: string | null): void {
  select.replaceChildren(...values.map((value) => new Option(value, value)));
  if (wanted && !values.includes(wanted)) select.append(new Option(wanted, wanted));
  if (wanted) select.value = wanted;
}

function setStreamState(state: string): void {
  streamState = state;
  streamBadge.textContent = state;
  streamBadge.className = `badge ${state === 'live' ? 'live' : 'down'}`;
}

/** History from REST, then live updates from SSE; the stream's first events cover the seam. */
async function show(): Promise<void> {
  closeStream?.();
  const symbol = symbolPicker.value;
  const interval = intervalPicker.value;
  if (!symbol) {
    note.textContent = 'No windows stored yet: waiting for the aggregator to write the first one.';
    setTimeout(() => void start(), 3_000);
    return;
  }
  history.replaceState(null, '', `?${new URLSearchParams({ symbol, interval })}`);
  const candles = await fetchHistory(symbol, interval);
  chart.setHistory(candles);
  table.setHistory(candles);
  note.textContent = `${symbol} ${interval}: ${candles.length} closed candle${candles.length === 1 ? '' : 's'} from MySQL, then live.`;
  closeStream = openStream(symbol, interval, {
    candle: (candle) => {
      chart.update(candle);
      table.update(candle);
    },
    reset: () => void show(),
    state: setStreamState,
  });
}

async function start(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const { symbols, intervals } = await fetchSymbols();
  fill(symbolPicker, symbols.map((s) => s.symbol), params.get('symbol') ?? symbols[0]?.symbol ?? null);
  fill(intervalPicker, intervals, params.get('interval') ?? intervals[0]);
  await show();
}

async function pollPipeline(): Promise<void> {
  try {
    pipeline.show(await fetchPipeline(), streamState);
  } catch (error) {
    pipeline.showError((error as Error).message);
  }
  setTimeout(() => void pollPipeline(), PIPELINE_POLL_MS);
}

symbolPicker.addEventListener('change', () => void show());
intervalPicker.addEventListener('change', () => void show());
start().catch((error: Error) => (note.textContent = `cannot load: ${error.message}`));
void pollPipeline();
