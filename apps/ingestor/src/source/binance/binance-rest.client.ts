import { backoffDelayMs, sleep } from '@cryptostream/service-runtime';
import { Logger } from '@nestjs/common';
import { CryptostreamError } from '@cryptostream/schema';
import axios, { AxiosInstance } from 'axios';
import { IngestorConfig } from '../../config/ingestor-config';
import { IngestorMetrics } from '../../metrics/ingestor.metrics';
import { WeightBudget } from './weight.budget';

/** Request weights of the endpoints we call (Binance spot). */
export const REQUEST_WEIGHTS = { tickerPriceSymbols: 4, aggTrades: 4, historicalTrades: 25 } as const;

const RETRY_BASE_MS = 250;
const RETRY_MAX_MS = 10_000;

/**
 * Calls Binance's REST market-data API politely: waits before the weight budget runs out,
 * honours `Retry-After` on 429, stops asking for the whole ban on 418 (and says so), and retries
 * network errors and 5xx with exponential backoff and jitter. Other errors are not retriable.
 */
export class BinanceRestClient {
  readonly #logger = new Logger(BinanceRestClient.name);
  readonly #http: AxiosInstance;
  readonly budget: WeightBudget;
  /** Aborted by stop(): pending waits reject at once, with a non-retriable error. */
  readonly #stop = new AbortController();
  /** Sets the used-weight gauge back to 0 when Binance's minute ends: a count Binance reported is only true for its minute. */
  #weightReset: NodeJS.Timeout | undefined;
  readonly #weightWindowMs: number;

  constructor(
    config: IngestorConfig['binance'],
    private readonly metrics: IngestorMetrics,
  ) {
    this.#http = axios.create({ baseURL: config.restUrl, timeout: config.requestTimeoutMs, validateStatus: () => true, responseType: 'json' });
    this.budget = new WeightBudget(config.weightLimit, config.weightWindowMs);
    this.#weightWindowMs = config.weightWindowMs;
    metrics.weightLimit.set(config.weightLimit);
  }

  /** Stops waiting and retrying: pending calls reject. */
  stop(): void {
    clearTimeout(this.#weightReset);
    this.#stop.abort(new CryptostreamError('REST client stopped', { retriable: false }));
  }

  /** GETs `path`, waiting and retrying as Binance's limits require; resolves with the body. */
  async get<T>(path: string, params: Record<string, string | number>, weight: number): Promise<{ data: T; receivedAtMs: number }> {
    for (let attempt = 1; ; attempt += 1) {
      await this.#waitForBudget(weight);
      this.budget.reserve(weight, Date.now());
      let response;
      try {
        response = await this.#http.get<T>(path, { params });
      } catch (error) {
        await this.#retryLater(`GET ${path} failed: ${(error as Error).message}`, attempt, error);
        continue;
      }
      const receivedAtMs = Date.now();
      const used = Number(response.headers['x-mbx-used-weight-1m']);
      if (Number.isFinite(used)) {
        this.budget.noteUsedWeight(used, receivedAtMs);
        this.#reportUsedWeight(used, receivedAtMs);
      }
      if (response.status === 200) return { data: response.data, receivedAtMs };
      if (response.status === 429 || response.status === 418) {
        this.#obeyRetryAfter(response.status, Number(response.headers['retry-after']), path, receivedAtMs);
        continue;
      }
      const detail = `GET ${path} answered ${response.status}: ${JSON.stringify(response.data).slice(0, 200)}`;
      if (response.status >= 500) {
        await this.#retryLater(detail, attempt);
        continue;
      }
      throw new CryptostreamError(detail, { retriable: false });
    }
  }

  #reportUsedWeight(used: number, nowMs: number): void {
    this.metrics.usedWeight.set(used);
    clearTimeout(this.#weightReset);
    this.#weightReset = setTimeout(() => this.metrics.usedWeight.set(0), this.#weightWindowMs - (nowMs % this.#weightWindowMs));
    this.#weightReset.unref();
  }

  #obeyRetryAfter(status: 429 | 418, retryAfterSec: number, path: string, nowMs: number): void {
    this.metrics.rateLimited.inc({ status: String(status) });
    const seconds = Number.isFinite(retryAfterSec) && retryAfterSec > 0 ? retryAfterSec : status === 418 ? 120 : 60;
    const untilMs = nowMs + seconds * 1000;
    if (status === 418) {
      this.budget.block(untilMs, `banned by Binance (418) until ${new Date(untilMs).toISOString()}`);
      this.#logger.error(`Binance banned this IP (418 on GET ${path}) for ${seconds} s: no REST request until ${new Date(untilMs).toISOString()}`);
    } else {
      this.budget.block(untilMs, `rate limited by Binance (429), Retry-After ${seconds} s`);
      this.#logger.warn(`Binance answered 429 on GET ${path}: waiting Retry-After ${seconds} s`);
    }
  }

  async #waitForBudget(weight: number): Promise<void> {
    for (;;) {
      this.#stop.signal.throwIfAborted();
      const delayMs = this.budget.delayBeforeMs(weight, Date.now());
      if (delayMs <= 0) return;
      await sleep(Math.min(delayMs, 1000), this.#stop.signal);
    }
  }

  async #retryLater(detail: string, attempt: number, cause?: unknown): Promise<void> {
    if (this.#stop.signal.aborted) throw new CryptostreamError(detail, { retriable: true, cause });
    const delayMs = backoffDelayMs(attempt, { baseMs: RETRY_BASE_MS, maxMs: RETRY_MAX_MS });
    this.#logger.warn(`${detail}; retrying in ${delayMs} ms (attempt ${attempt})`);
    await sleep(delayMs, this.#stop.signal);
  }
}
