import { Logger } from '@nestjs/common';
import { readTradeFile, TradeLine } from '@cryptostream/market-data';
import { IngestorConfig } from '../config/ingestor-config';
import { IngestorMetrics } from '../metrics/ingestor.metrics';
import { PricePublisher } from '../publisher/price.publisher';
import { ReplayPace } from './replay-pace';
import { FiniteSource } from './finite.source';
import { mergeByTradeTime } from './trade-lines.merger';

/**
 * Replays recorded trade files (merged by trade time) at real time × `speed`, or as fast as
 * possible with speed 0. Unreadable lines and non-market trades go to the dead-letter topic.
 * When the files end it stays `finished`, and the process stays up.
 */
export class ReplaySource extends FiniteSource {
  readonly name = 'replay';

  constructor(
    private readonly config: IngestorConfig['replay'],
    publisher: PricePublisher,
    private readonly metrics: IngestorMetrics,
  ) {
    super(publisher, 'replay', new Logger(ReplaySource.name));
  }

  protected async publishAll(): Promise<string | undefined> {
    this.replaying(`${this.config.files.length} file(s) at speed ${this.config.speed || 'max'}`);
    this.logger.log(`replaying ${this.config.files.join(', ')} at ${this.config.speed === 0 ? 'full speed' : `real time × ${this.config.speed}`}`);
    const counts = { published: 0, deadLettered: 0 };
    const pace = new ReplayPace(this.config.speed);
    for await (const { file, line } of mergeByTradeTime(this.config.files, readSafely)) {
      if (this.stopped) return undefined;
      this.metrics.received.inc({ source: 'replay' });
      const origin = { stream: `${file}:${line.line}` };
      if (!line.ok) {
        await this.publisher.deadLetter(`unreadable line: ${line.reason}`, rawTextOf(line), 'replay', origin);
        counts.deadLettered += 1;
        continue;
      }
      await pace.wait(line.trade.tradeTimeMs);
      const outcome = await this.publisher.publishTrade(line.trade, 'replay', origin);
      counts[outcome === 'published' ? 'published' : 'deadLettered'] += 1;
    }
    return `${counts.published} published, ${counts.deadLettered} dead-lettered`;
  }
}

/** Reads a file; a file that cannot be read at all yields one unreadable line saying why. */
async function* readSafely(file: string): AsyncGenerator<TradeLine> {
  try {
    yield* readTradeFile(file);
  } catch (error) {
    yield { ok: false, line: 0, reason: `cannot read ${file}: ${(error as Error).message}` };
  }
}

/** The line's text when the reader keeps it (`text` or `raw`), else an empty payload. */
function rawTextOf(line: TradeLine): string {
  const record = line as unknown as Record<string, unknown>;
  for (const key of ['raw', 'text']) if (typeof record[key] === 'string') return record[key] as string;
  return '';
}
