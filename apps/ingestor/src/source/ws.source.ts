import { Logger } from '@nestjs/common';
import { BinanceAggTradeRow, BinanceHistoricalTradeRow, MarketTrade, tradeFromAggTradeRow, tradeFromHistoricalTradeRow } from '@cryptostream/market-data';
import type { PriceSource, SourceProgress } from '@cryptostream/schema';
import type { Kafka } from 'kafkajs';
import type { RawData } from 'ws';
import { IngestorConfig } from '../config/ingestor-config';
import { IngestorMetrics } from '../metrics/ingestor.metrics';
import { PricePublisher } from '../publisher/price.publisher';
import { BinanceRestClient, REQUEST_WEIGHTS } from './binance/binance-rest.client';
import { TradeRecorder } from './trade.recorder';
import { SourceStatus, TradeSource } from './trade-source';
import { readLastPublishedIds } from './ws/last-published.reader';
import { RecoveryTimer } from './ws/recovery.timer';
import { ProgressScheduler } from './ws/progress.scheduler';
import { SourceProgressTracker } from './ws/source-progress.tracker';
import { frameText, parseStreamFrame } from './ws/stream-frame.parser';
import { StreamClock } from './ws/stream.clock';
import { StreamConnection } from './ws/stream.connection';
import { combinedStreamUrl, shardStreams } from './ws/stream-shards';
import { TradeSequencer } from './ws/trade.sequencer';

/** Binance returns at most 1000 rows per aggTrades/historicalTrades call. */
const PAGE_SIZE = 1000;

/**
 * Live trades from Binance's combined WebSocket streams (`trade` or `aggTrade`), sharded at
 * `streamsPerConnection` streams per connection. Each symbol goes through a
 * {@link TradeSequencer}, so that after any reconnect or skipped id the missing trades are
 * fetched from REST and every id reaches Kafka exactly once, in order. Every frame that is not a
 * valid trade goes to the dead-letter topic with the reason. Every `SOURCE_PROGRESS_INTERVAL_MS`
 * (rounds aligned to the stream's time, see {@link ProgressScheduler}) each symbol gets its source progress (see {@link SourceProgressTracker}): `live` and complete
 * up to where its stream is verified, or `recovering` while a gap is being filled; the publisher
 * sends one record per partition with the progress of its symbols.
 */
export class WsSource implements TradeSource {
  readonly name = 'ws';
  readonly #logger = new Logger(WsSource.name);
  readonly #connections: StreamConnection[] = [];
  readonly #sequencers = new Map<string, TradeSequencer>();
  readonly #liveSource: PriceSource;
  readonly #progress: SourceProgressTracker;
  readonly #recovery = new RecoveryTimer();
  /** Each symbol's connection, for the evidence of its progress records. */
  readonly #connectionOf = new Map<string, StreamConnection>();
  readonly #clock = new StreamClock<StreamConnection>();
  readonly #rounds: ProgressScheduler<StreamConnection>;
  #stopped = false;

  constructor(
    private readonly config: IngestorConfig,
    private readonly publisher: PricePublisher,
    private readonly metrics: IngestorMetrics,
    private readonly rest: BinanceRestClient,
    private readonly recorder: TradeRecorder,
    private readonly kafka: Kafka,
  ) {
    this.#liveSource = config.binance.stream === 'trade' ? 'ws-trade' : 'ws-aggTrade';
    this.#progress = new SourceProgressTracker(config.sourceProgress.lagMs);
    this.#rounds = new ProgressScheduler(config.sourceProgress, this.#connections, this.#clock, () => this.#publishProgress());
    for (const symbol of config.symbols) {
      this.#sequencers.set(
        symbol,
        new TradeSequencer({
          symbol,
          pageSize: PAGE_SIZE,
          fetchFrom: (fromId) => this.#fetchFrom(symbol, fromId),
          emit: (trade, recovered) => this.#publish(trade, recovered),
          onDuplicate: () => this.metrics.duplicates.inc({ symbol }),
        }),
      );
    }
  }

  status(): SourceStatus {
    const down = this.#connections.filter((connection) => !connection.isOpen).length;
    if (this.#connections.length === 0) return { state: 'starting' };
    if (down > 0) return { state: 'reconnecting', detail: `${down} of ${this.#connections.length} connections down` };
    const recovering = [...this.#sequencers].filter(([, sequencer]) => sequencer.catchingUp).map(([symbol]) => symbol);
    if (recovering.length > 0) return { state: 'catching-up', detail: `recovering missed trades of ${recovering.join(', ')}` };
    return { state: 'live', detail: `${this.#connections.length} connection(s), ${this.#sequencers.size} symbol(s)` };
  }

  start(): void {
    void this.publisher.whenReady().then(async () => {
      if (this.#stopped) return;
      if (this.config.binance.resume) await this.#resume();
      if (this.#stopped) return;
      const { binance } = this.config;
      shardStreams(this.config.symbols, binance.stream, binance.streamsPerConnection).forEach((streams, index) => {
        const symbols = this.config.symbols.slice(index * binance.streamsPerConnection, (index + 1) * binance.streamsPerConnection);
        const known = new Set(streams);
        const connection: StreamConnection = new StreamConnection(
          { url: combinedStreamUrl(binance.wsUrl, streams), ...binance },
          {
            onFrame: (frame, isBinary, receivedAtMs) => this.#onFrame(frame, isBinary, receivedAtMs, known, connection),
            onOpen: (reconnected) => {
              if (reconnected) for (const symbol of symbols) this.#sequencers.get(symbol)?.onReconnected();
            },
          },
          (reason) => this.metrics.reconnects.inc({ reason }),
          `#${index + 1}`,
        );
        this.#connections.push(connection);
        for (const symbol of symbols) this.#connectionOf.set(symbol, connection);
        connection.start();
      });
      if (this.config.sourceProgress.intervalMs > 0) this.#rounds.start();
      this.#logger.log(`streaming ${binance.stream} of ${this.config.symbols.length} symbol(s) on ${this.#connections.length} connection(s)`);
    });
  }

  /** Seeds each symbol's sequencer with the last id an earlier run published. */
  async #resume(): Promise<void> {
    try {
      const lastIds = await readLastPublishedIds(this.kafka, { topic: this.config.kafka.topic, symbols: this.config.symbols, sources: [this.#liveSource, 'gap-fill'] });
      for (const [symbol, last] of lastIds) {
        this.#logger.log(`resuming ${symbol} after id ${last.tradeId} (last published by an earlier run)`);
        // Everything before the last published trade is out: the recovering records say so.
        this.#progress.published(symbol, last.eventTimeMs);
        this.#sequencers.get(symbol)?.resumeAfter(last.tradeId);
      }
    } catch (error) {
      this.#logger.warn(`cannot read the last published ids, starting from the live stream: ${(error as Error).message}`);
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#rounds.stop();
    this.rest.stop();
    for (const sequencer of this.#sequencers.values()) sequencer.stop();
    for (const connection of this.#connections) connection.stop();
  }

  #onFrame(frame: RawData, isBinary: boolean, receivedAtMs: number, streams: ReadonlySet<string>, connection: StreamConnection): void {
    this.metrics.received.inc({ source: this.name });
    this.recorder.recordFrame(frameText(frame), receivedAtMs);
    const parsed = parseStreamFrame(frame, isBinary, streams);
    switch (parsed.kind) {
      case 'server-shutdown':
        connection.serverShutdown();
        return;
      case 'response':
        return;
      case 'invalid':
        void this.publisher.deadLetter(parsed.reason, frameText(frame), this.name, parsed.stream ? { stream: parsed.stream } : undefined);
        return;
      case 'trade': {
        this.#clock.noteTrade(connection, receivedAtMs, parsed.trade.tradeTimeMs);
        const check = this.publisher.checkTrade(parsed.trade, this.#liveSource);
        if (!check.ok) {
          void this.publisher.deadLetter(check.reason, frameText(frame), this.name, { stream: parsed.stream });
          this.#sequencers.get(parsed.trade.symbol)?.onLive(parsed.trade, true);
          return;
        }
        this.metrics.eventLag.observe({ source: this.name }, Math.max(0, receivedAtMs - parsed.trade.tradeTimeMs) / 1000);
        this.#sequencers.get(parsed.trade.symbol)?.onLive(parsed.trade);
      }
    }
  }

  /** The source-progress of every symbol that has any evidence yet: one record per partition. */
  #publishProgress(): void {
    const nowMs = Date.now();
    const records: Omit<SourceProgress, 'kind'>[] = [];
    for (const [symbol, sequencer] of this.#sequencers) {
      const connection = this.#connectionOf.get(symbol);
      const delayMs = this.#clock.delayOf(connection);
      const stream = { open: connection?.isOpen ?? false, recovering: sequencer.catchingUp, streamTimeMs: this.#clock.streamTimeOf(connection) };
      this.metrics.recoveringSeconds.set({ symbol }, this.#recovery.note(symbol, !stream.open || stream.recovering, nowMs) / 1000);
      // atMs in the stream's time too: the aggregator compares it with event times.
      const record = this.#progress.next(symbol, stream, delayMs === undefined ? nowMs : nowMs - delayMs);
      if (record !== undefined) records.push(record);
    }
    if (records.length > 0) void this.publisher.publishProgress(records);
  }

  #publish(trade: MarketTrade, recovered: boolean): Promise<unknown> {
    // Handed to the publisher in id order (the sequencer's promise): complete up to its time.
    this.#progress.published(trade.symbol, trade.tradeTimeMs);
    if (recovered) this.metrics.backfilled.inc({ symbol: trade.symbol });
    return this.publisher.publishTrade(trade, recovered ? 'gap-fill' : this.#liveSource, { stream: `${trade.symbol.toLowerCase()}@${trade.kind}` });
  }

  async #fetchFrom(symbol: string, fromId: number): Promise<MarketTrade[]> {
    if (this.config.binance.stream === 'aggTrade') {
      const { data } = await this.rest.get<BinanceAggTradeRow[]>('/api/v3/aggTrades', { symbol, fromId, limit: PAGE_SIZE }, REQUEST_WEIGHTS.aggTrades);
      return data.map((row) => tradeFromAggTradeRow(symbol, row));
    }
    const { data } = await this.rest.get<BinanceHistoricalTradeRow[]>('/api/v3/historicalTrades', { symbol, fromId, limit: PAGE_SIZE }, REQUEST_WEIGHTS.historicalTrades);
    return data.map((row) => tradeFromHistoricalTradeRow(symbol, row));
  }
}
