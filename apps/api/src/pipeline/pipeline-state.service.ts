import { MysqlCandleRepository } from '@cryptostream/persistence';
import { httpRequest } from '@cryptostream/service-runtime';
import { Inject, Injectable } from '@nestjs/common';
import { API_CONFIG, ApiConfig } from '../config/api.config';
import { UpdateHub } from '../live/update-hub';
import { UPDATE_HUB } from '../live/update-hub.provider';
import { PipelineStateDto, ServiceStateDto } from './pipeline.dto';

const PROBE_TIMEOUT_MS = 1_000;
/** Dashboards poll; one probe round per second serves them all. */
const CACHE_MS = 1_000;

/** Asks the other parts of the pipeline how they are: readiness, consumer lag, newest window. */
@Injectable()
export class PipelineStateService {
  #cached: { atMs: number; state: Promise<PipelineStateDto> } | undefined;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly repository: MysqlCandleRepository,
    @Inject(UPDATE_HUB) private readonly hub: UpdateHub,
  ) {}

  state(): Promise<PipelineStateDto> {
    const nowMs = Date.now();
    if (!this.#cached || nowMs - this.#cached.atMs >= CACHE_MS) this.#cached = { atMs: nowMs, state: this.#probe(nowMs) };
    return this.#cached.state;
  }

  async #probe(nowMs: number): Promise<PipelineStateDto> {
    const [ingestor, aggregator, consumerLag, newestWindowEndMs] = await Promise.all([
      probe(this.config.ingestorUrl),
      probe(this.config.aggregatorUrl),
      aggregatorLag(this.config.aggregatorUrl),
      this.repository.newestWindowEndMs(this.config.intervals[0].label).catch(() => undefined),
    ]);
    return {
      nowMs, ingestor, aggregator, consumerLag,
      newestWindowEndMs: newestWindowEndMs ?? null,
      newestWindowAgeMs: newestWindowEndMs === undefined ? null : nowMs - newestWindowEndMs,
      sseClients: this.hub.clientCount,
    };
  }
}

async function probe(url: string): Promise<ServiceStateDto> {
  try {
    const response = await httpRequest(`${url}/health/ready`, { timeoutMs: PROBE_TIMEOUT_MS });
    if (response.ok) return { url, ready: true, problem: null };
    const body = response.jsonOrUndefined<{ error?: Record<string, { message?: string }> }>() ?? {};
    const reasons = Object.entries(body.error ?? {}).map(([name, detail]) => `${name}: ${detail.message ?? 'down'}`);
    return { url, ready: false, problem: reasons.join('; ') || `HTTP ${response.status}` };
  } catch (error) {
    return { url, ready: false, problem: `no answer: ${(error as Error).message}` };
  }
}

/**
 * The aggregator's own count of records behind each partition's end after its last batch
 * (`aggregator_consumer_lag` on its /metrics), summed; null when it does not answer. Kafka's
 * committed offsets would say more: the aggregator commits where a restart resumes, the start
 * of the open windows.
 */
async function aggregatorLag(aggregatorUrl: string): Promise<number | null> {
  try {
    const response = await httpRequest(`${aggregatorUrl}/metrics`, { timeoutMs: PROBE_TIMEOUT_MS });
    if (!response.ok) return null;
    const lags = [...response.text.matchAll(/^aggregator_consumer_lag\{[^}]*\} (\d+(?:\.\d+)?)$/gm)];
    return lags.length === 0 ? null : lags.reduce((sum, match) => sum + Number(match[1]), 0);
  } catch {
    return null;
  }
}

