import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createWriteStream, WriteStream } from 'node:fs';
import { INGESTOR_CONFIG } from '../config/config.module';
import { IngestorConfig } from '../config/ingestor-config';

/**
 * Appends what the live sources receive to `RECORD_FILE` as JSON lines, so that a live session
 * can be replayed later (`INGESTOR_SOURCE=replay REPLAY_FILES=<file>`). A frame that is a JSON
 * object is written as is, plus `receivedAtMs` (the combined-stream wrapper stays, which the
 * replay reader unwraps); anything else is written as `{"receivedAtMs","raw"}` so that nothing
 * received is lost (it replays as a dead letter, as it was live).
 */
@Injectable()
export class TradeRecorder implements OnApplicationShutdown {
  readonly #logger = new Logger(TradeRecorder.name);
  readonly #out: WriteStream | undefined;

  constructor(@Inject(INGESTOR_CONFIG) config: IngestorConfig) {
    if (config.recordFile) {
      this.#out = createWriteStream(config.recordFile, { flags: 'a' });
      this.#out.on('error', (error) => this.#logger.error(`cannot write ${config.recordFile}: ${error.message}`));
      this.#logger.log(`recording what the source receives to ${config.recordFile}`);
    }
  }

  recordFrame(text: string, receivedAtMs: number): void {
    if (!this.#out) return;
    let line: string;
    try {
      const value: unknown = JSON.parse(text);
      line = typeof value === 'object' && value !== null && !Array.isArray(value) ? JSON.stringify({ ...value, receivedAtMs }) : JSON.stringify({ receivedAtMs, raw: text });
    } catch {
      line = JSON.stringify({ receivedAtMs, raw: text });
    }
    this.#out.write(`${line}\n`);
  }

  recordResponse(path: string, data: unknown, receivedAtMs: number): void {
    this.#out?.write(`${JSON.stringify({ receivedAtMs, rest: path, data })}\n`);
  }

  async onApplicationShutdown(): Promise<void> {
    const out = this.#out;
    if (out) await new Promise<void>((resolve) => out.end(resolve));
  }
}
