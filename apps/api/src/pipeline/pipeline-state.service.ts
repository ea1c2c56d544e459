import { MysqlCandleRepository } from '@cryptostream/persistence';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Admin } from 'kafkajs';
import { API_CONFIG, ApiConfig } from '../config/api.config';
import { UpdateHub } from '../live/update-hub';
import { UPDATE_HUB } from '../live/update-hub.provider';
import { WindowUpdatesReader } from '../live/window-updates.reader';
import { PipelineStateDto, ServiceStateDto } from './pipeline.dto';

const PROBE_TIMEOUT_MS = 1_000;
/** Dashboards poll; one probe round per second serves them all. */
const CACHE_MS = 1_000;

/** Asks the other parts of the pipeline how they are: readiness, consumer lag, newest window. */
@Injectable()
export class PipelineStateService implements OnApplicationShutdown {
  #admin: Promise<Admin> | undefined;
  #cached: { atMs: number; state: Promise<PipelineStateDto> } | undefined;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly repository: MysqlCandleRepository,
    private readonly reader: WindowUpdatesReader,
    @Inject(UPDATE_HUB) private readonly hub: UpdateHub,
  ) {}

  state(): Promise<PipelineStateDto> {
    const nowMs = Date.now();
    if (!this.#cached || nowMs - this.#cached.atMs >= CACHE_MS) this.#cached = { atMs: nowMs, state: this.#probe(nowMs) };
    return this.#cached.state;
  }

  async onApplicationShutdown(): Promise<void> {
    const admin = await this.#admin?.catch(() => undefined);
    await admin?.disconnect().catch(() => undefined);
  }

  async #probe(nowMs: number): Promise<PipelineStateDto> {
    const [ingestor, aggregator, consumerLag, newestWindowEndMs] = await Promise.all([
      probe(this.config.ingestorUrl),
      probe(this.config.aggregatorUrl),
      this.#consumerLag().catch(() => null),
      this.repository.newestWindowEndMs(this.config.intervals[0].label).catch(() => undefined),
    ]);
    return {
      nowMs, ingestor, aggregator, consumerLag,
      newestWindowEndMs: newestWindowEndMs ?? null,
      newestWindowAgeMs: newestWindowEndMs === undefined ? null : nowMs - newestWindowEndMs,
      sseClients: this.hub.clientCount,
    };
  }

  /** High watermarks minus the aggregator group's committed offsets, summed over partitions. */
  async #consumerLag(): Promise<number> {
    this.#admin ??= (async () => {
      const admin = this.reader.kafka.admin();
      await admin.connect();
      return admin;
    })();
    const admin = await this.#admin.catch((error: Error) => {
      this.#admin = undefined;
      throw error;
    });
    const topic = this.config.pricesTopic;
    const [ends, [committed]] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      admin.fetchOffsets({ groupId: this.config.aggregatorGroupId, topics: [topic] }),
    ]);
    const committedBy = new Map(committed.partitions.map((p) => [p.partition, Number(p.offset)]));
    return ends.reduce((lag, end) => {
      const at = committedBy.get(end.partition) ?? -1;
      return lag + Math.max(0, Number(end.high) - (at < 0 ? Number(end.low) : at));
    }, 0);
  }
}

async function probe(url: string): Promise<ServiceStateDto> {
  try {
    const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    if (response.ok) return { url, ready: true, problem: null };
    const body = (await response.json().catch(() => ({}))) as { error?: Record<string, { message?: string }> };
    const reasons = Object.entries(body.error ?? {}).map(([name, detail]) => `${name}: ${detail.message ?? 'down'}`);
    return { url, ready: false, problem: reasons.join('; ') || `HTTP ${response.status}` };
  } catch (error) {
    return { url, ready: false, problem: `no answer: ${(error as Error).message}` };
  }
}
