import type { CandleFigures } from '@cryptostream/schema';

/** A candle as the API sends it (GET /api/candles and the SSE stream): exact decimal strings. */
export interface Candle extends CandleFigures {
  readonly interval: string;
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
