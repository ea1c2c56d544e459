import type { Candle, PipelineState, Symbols } from './candle';

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export const fetchSymbols = (): Promise<Symbols> => getJson('/api/symbols');
export const fetchPipeline = (): Promise<PipelineState> => getJson('/api/pipeline');

/** The newest `limit` closed candles, newest last. */
export async function fetchHistory(symbol: string, interval: string, limit = 500): Promise<Candle[]> {
  const query = new URLSearchParams({ symbol, interval, limit: String(limit) });
  return (await getJson<{ candles: Candle[] }>(`/api/candles?${query}`)).candles;
}

export interface StreamHandlers {
  candle(candle: Candle): void;
  /** The server no longer holds what was missed: reload history. */
  reset(): void;
  state(state: 'live' | 'reconnecting'): void;
}

/**
 * Live candles over Server-Sent Events. The browser reconnects by itself and sends the last
 * event id, so the server resumes where the stream broke.
 */
export function openStream(symbol: string, interval: string, handlers: StreamHandlers): () => void {
  const source = new EventSource(`/api/candles/stream?${new URLSearchParams({ symbol, interval })}`);
  source.addEventListener('open', () => handlers.state('live'));
  source.addEventListener('error', () => handlers.state('reconnecting'));
  source.addEventListener('candle', (event) => handlers.candle(JSON.parse((event as MessageEvent<string>).data) as Candle));
  source.addEventListener('reset', () => handlers.reset());
  return () => source.close();
}
