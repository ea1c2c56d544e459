import { Logger } from '@nestjs/common';
import { IngestorConfig } from '../config/ingestor-config';
import { IngestorMetrics } from '../metrics/ingestor.metrics';
import { PricePublisher } from '../publisher/price.publisher';
import { BinanceRestClient, REQUEST_WEIGHTS } from './binance/binance-rest.client';
import { settleWithin } from './settle-within';
import { TradeRecorder } from './trade.recorder';
import { SourceStatus, TradeSource } from './trade-source';

interface TickerPrice {
  readonly symbol: unknown;
  readonly price: unknown;
}

/**
 * The original design: `GET /api/v3/ticker/price?symbols=[…]` once per poll interval (one
 * request for all symbols), one message per symbol stamped with the receive time. Ticks are on
 * a fixed schedule; a tick missed while waiting for Binance's limits is skipped, not made up.
 */
export class RestSource implements TradeSource {
  readonly name = 'rest';
  readonly #logger = new Logger(RestSource.name);
  #status: SourceStatus = { state: 'starting' };
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;
  #run: Promise<void> | undefined;

  constructor(
    private readonly config: IngestorConfig,
    private readonly publisher: PricePublisher,
    private readonly metrics: IngestorMetrics,
    private readonly rest: BinanceRestClient,
    private readonly recorder: TradeRecorder,
  ) {}

  status(): SourceStatus {
    const blocked = this.rest.budget.blocked(Date.now());
    return blocked ? { state: 'waiting', detail: blocked.reason } : this.#status;
  }

  start(): void {
    this.#run = this.publisher.whenReady().then(() => this.#loop());
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#wake?.();
    this.rest.stop();
    await settleWithin(this.#run, 2000);
  }

  async #loop(): Promise<void> {
    const intervalMs = this.config.binance.pollIntervalMs;
    const symbols = JSON.stringify(this.config.symbols);
    this.#logger.log(`polling ticker/price of ${this.config.symbols.join(', ')} every ${intervalMs} ms`);
    let dueMs = Date.now();
    while (!this.#stopped) {
      try {
        const { data, receivedAtMs } = await this.rest.get<TickerPrice[]>('/api/v3/ticker/price', { symbols }, REQUEST_WEIGHTS.tickerPriceSymbols);
        this.recorder.recordResponse('/api/v3/ticker/price', data, receivedAtMs);
        await this.#publish(data, receivedAtMs);
        this.#status = { state: 'live', detail: `last poll at ${new Date(receivedAtMs).toISOString()}` };
      } catch (error) {
        if (this.#stopped) return;
        this.#status = { state: 'failed', detail: (error as Error).message };
        this.#logger.error(`poll failed: ${(error as Error).message}`);
      }
      dueMs += intervalMs;
      const now = Date.now();
      if (dueMs < now) dueMs += Math.ceil((now - dueMs) / intervalMs) * intervalMs;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        this.#timer = setTimeout(resolve, dueMs - now);
      });
    }
  }

  async #publish(data: unknown, receivedAtMs: number): Promise<void> {
    if (!Array.isArray(data)) {
      await this.publisher.deadLetter('ticker/price answer is not an array', JSON.stringify(data), this.name, { stream: 'ticker/price' });
      return;
    }
    for (const ticker of data as TickerPrice[]) {
      this.metrics.received.inc({ source: this.name });
      const message = { symbol: ticker?.symbol, price: ticker?.price, timestamp: receivedAtMs / 1000, eventTimeMs: receivedAtMs, source: 'rest-ticker' };
      await this.publisher.publishMessage(message, 'rest-ticker', { stream: 'ticker/price' });
    }
  }
}
