/** A candle as the API sends it (GET /api/candles and the SSE stream): exact decimal strings. */
export interface Candle {
  readonly symbol: string;
  readonly interval: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly source: 'trades' | 'ticker';
  readonly volume: string | null;
  readonly quoteVolume: string | null;
  readonly baseVolume: string | null;
  readonly vwap: string | null;
  readonly averagePrice: string;
  readonly tradeCount: number | null;
  readonly revision: number;
  readonly closed: boolean;
}

export interface ServiceState {
  readonly url: string;
  readonly ready: boolean;
  readonly problem: string | null;
}

export interface PipelineState {
  readonly nowMs: number;
  readonly ingestor: ServiceState;
  readonly aggregator: ServiceState;
  readonly consumerLag: number | null;
  readonly newestWindowEndMs: number | null;
  readonly newestWindowAgeMs: number | null;
  readonly sseClients: number;
}

export interface Symbols {
  readonly symbols: readonly { readonly symbol: string; readonly firstStartMs: number; readonly latestStartMs: number }[];
  readonly intervals: readonly string[];
}
