/** Where a source stands; `/health/ready` is up in the states of {@link READY_STATES}. */
export type SourceState = 'starting' | 'live' | 'catching-up' | 'replaying' | 'finished' | 'reconnecting' | 'waiting' | 'failed' | 'stopped';

export const READY_STATES: ReadonlySet<SourceState> = new Set(['live', 'catching-up', 'replaying', 'finished']);

export interface SourceStatus {
  readonly state: SourceState;
  readonly detail?: string;
}

/** A producer of trades or prices (replay, WebSocket, REST polling) feeding the publisher. */
export interface TradeSource {
  readonly name: string;
  /** Starts in the background; problems show in {@link status}, they never throw. */
  start(): void;
  stop(): Promise<void>;
  status(): SourceStatus;
}

/** Injection token of the configured {@link TradeSource}. */
export const TRADE_SOURCE = Symbol('TRADE_SOURCE');
