import { LakeManifest, lakeTradeOf, LakeReader, tradeRangeQuery } from '@cryptostream/lake';
import { createMysqlPool } from '@cryptostream/persistence';
import { Logger } from '@nestjs/common';
import { IngestorConfig } from '../config/ingestor-config';
import { IngestorMetrics } from '../metrics/ingestor.metrics';
import { PricePublisher } from '../publisher/price.publisher';
import { ReplayPace } from './replay-pace';
import { FiniteSource } from './finite.source';

/**
 * Publishes a range of the data lake's trades (`LAKE_FROM` to `LAKE_TO`, the symbols of `SYMBOLS`
 * or all) again, in event-time order then symbol and trade id, at real time × `REPLAY_SPEED`
 * (0: as fast as possible). Each message carries the fields it had (its source too), so the same
 * range always publishes the same messages and the pipeline computes the same windows.
 */
export class LakeSource extends FiniteSource {
  readonly name = 'lake';

  constructor(
    private readonly config: IngestorConfig,
    publisher: PricePublisher,
    private readonly metrics: IngestorMetrics,
  ) {
    super(publisher, 'lake replay', new Logger(LakeSource.name));
  }

  protected async publishAll(): Promise<string | undefined> {
    const lake = this.config.lake!;
    const pool = createMysqlPool(lake.mysql, 1);
    const range = { fromMs: lake.fromMs, toMs: lake.toMs, symbols: this.config.symbols };
    const span = `${new Date(lake.fromMs).toISOString()} to ${new Date(lake.toMs).toISOString()}`;
    try {
      const manifest = new LakeManifest(pool);
      const reader = await LakeReader.open(lake.dir, manifest, { threads: 1 });
      try {
        this.replaying(`the lake's trades from ${span} at speed ${this.config.replay.speed || 'max'}`);
        this.logger.log(`replaying the lake (${lake.dir}) from ${span}${range.symbols.length ? ` for ${range.symbols.join(',')}` : ''}`);
        const { sql, values } = await tradeRangeQuery(lake.dir, manifest, range);
        const pace = new ReplayPace(this.config.replay.speed);
        let published = 0;
        for await (const rows of reader.stream(sql, values)) {
          for (const row of rows) {
            if (this.stopped) return undefined;
            const trade = lakeTradeOf(row);
            this.metrics.received.inc({ source: 'lake' });
            await pace.wait(trade.eventTimeMs);
            const outcome = await this.publisher.publishMessage(messageOf(trade), 'replay', { stream: 'lake' });
            if (outcome === 'published') published++;
          }
        }
        return `${published} published`;
      } finally {
        reader.close();
      }
    } finally {
      await pool.end().catch(() => undefined);
    }
  }
}

/** The price message of a lake trade: the fields it was archived with, absent ones left out. */
function messageOf(trade: ReturnType<typeof lakeTradeOf>): Record<string, unknown> {
  const message: Record<string, unknown> = { symbol: trade.symbol, price: trade.price, timestamp: trade.eventTimeMs / 1000, eventTimeMs: trade.eventTimeMs };
  if (trade.quantity !== null) message['quantity'] = trade.quantity;
  if (trade.tradeId !== null) message['tradeId'] = trade.tradeId;
  if (trade.tradeCount !== null) message['tradeCount'] = trade.tradeCount;
  if (trade.isBuyerMaker !== null) message['isBuyerMaker'] = trade.isBuyerMaker;
  if (trade.contractSize !== null) message['contractSize'] = trade.contractSize;
  if (trade.source !== null) message['source'] = trade.source;
  return message;
}
