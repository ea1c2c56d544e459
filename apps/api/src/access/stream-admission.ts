import { HttpException, Inject, Injectable } from '@nestjs/common';
import { API_CONFIG, ApiConfig } from '../config/api.config';
import { ApiMetrics } from '../metrics/api.metrics';
import { isRefusal, StreamRefusal, StreamSlot, StreamSlots } from './stream-slots';

/** What a refused stream is told to wait before it tries again. */
export const STREAM_RETRY_AFTER_S = 5;

/**
 * The instance's stream caps (`API_MAX_STREAMS`, `API_MAX_STREAMS_PER_CLIENT`), shared by SSE and
 * WebSocket streams, with every refusal counted in `api_requests_refused_total`.
 */
@Injectable()
export class StreamAdmission {
  readonly #slots: StreamSlots;

  constructor(
    @Inject(API_CONFIG) config: ApiConfig,
    private readonly metrics: ApiMetrics,
  ) {
    this.#slots = new StreamSlots(config.access.maxStreams, config.access.maxStreamsPerClient);
  }

  get open(): number {
    return this.#slots.open;
  }

  take(clientId: string): StreamSlot | StreamRefusal {
    const admission = this.#slots.take(clientId);
    if (isRefusal(admission)) this.metrics.refuse(admission.reason, admission.status);
    return admission;
  }

  /** A slot for an HTTP stream, or an HttpException (429 or 503) to throw, with `Retry-After` set on `response`. */
  takeOrThrow(clientId: string, response: { setHeader(name: string, value: string): unknown }): StreamSlot {
    const admission = this.take(clientId);
    if (!isRefusal(admission)) return admission;
    response.setHeader('Retry-After', String(STREAM_RETRY_AFTER_S));
    throw new HttpException(admission.message, admission.status);
  }
}
