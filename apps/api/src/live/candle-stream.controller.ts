import { Controller, Get, Headers, Inject, OnModuleDestroy, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiClients } from '../access/api-clients';
import { StreamAdmission } from '../access/stream-admission';
import { BadParameterFilter } from '../candles/bad-parameter.filter';
import { BadParameter, parseInterval, parseSymbol } from '../candles/candle-query';
import { API_CONFIG, ApiConfig } from '../config/api.config';
import { ApiMetrics } from '../metrics/api.metrics';
import { UpdateHub } from './update-hub';
import { UPDATE_HUB } from './update-hub.provider';

/** A client that has this much unsent data is too slow to follow live updates: it is dropped. */
const MAX_BUFFERED_BYTES = 1 << 20;
const KEEPALIVE_MS = 15_000;

@ApiTags('candles')
@Controller('api/candles')
@UseFilters(BadParameterFilter)
export class CandleStreamController implements OnModuleDestroy {
  readonly #keepalive: NodeJS.Timeout;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(UPDATE_HUB) private readonly hub: UpdateHub,
    private readonly metrics: ApiMetrics,
    private readonly clients: ApiClients,
    private readonly streams: StreamAdmission,
  ) {
    this.#keepalive = setInterval(() => hub.broadcast(': keepalive\n\n'), KEEPALIVE_MS);
    this.#keepalive.unref();
  }

  @Get('stream')
  @ApiOperation({
    summary: 'Live candles of one symbol as Server-Sent Events (`event: candle`)',
    description:
      'The open candle as it changes (`closed: false`, about once a second) and each final one (`closed: true`, once MySQL holds it). ' +
      'Event ids are Kafka offsets: reconnecting with `Last-Event-ID` resumes without gap or duplicate while the updates are held; ' +
      'otherwise an `event: reset` asks the client to reload history. A new stream starts with the latest state of the newest candles.',
  })
  @ApiQuery({ name: 'symbol', required: true, example: 'BTCUSDT' })
  @ApiQuery({ name: 'interval', required: false, example: '1m' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'an endless text/event-stream' })
  @ApiResponse({ status: 429, description: 'this client holds API_MAX_STREAMS_PER_CLIENT streams already (or its rate limit is reached); `Retry-After`' })
  @ApiResponse({ status: 503, description: 'this instance holds API_MAX_STREAMS streams already; `Retry-After`' })
  stream(
    @Query() params: Record<string, unknown>,
    @Headers('last-event-id') lastEventHeader: string | undefined,
    @Req() request: IncomingMessage,
    @Res() response: ServerResponse,
  ): void {
    const symbol = parseSymbol(params);
    const interval = parseInterval(params, this.config.intervals);
    const lastEventId = parseLastEventId(lastEventHeader ?? (params['lastEventId'] as string | undefined));
    const slot = this.streams.takeOrThrow(this.clients.of(request).id, response);
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.write('retry: 1000\n\n');
    const socket = response.socket;
    socket?.setNoDelay(true);
    const sink = {
      write: (frame: string): boolean => {
        if (response.writableLength > MAX_BUFFERED_BYTES) {
          this.metrics.sseClientsDropped.inc();
          response.end();
          return false;
        }
        response.write(frame);
        return true;
      },
      end: () => response.end(),
    };
    const subscription = this.hub.subscribe(symbol, interval.ms, sink, lastEventId);
    if (subscription.gap) response.write('event: reset\ndata: {"reason":"updates since Last-Event-ID are no longer held; reload history"}\n\n');
    this.metrics.sseClients.set(this.hub.clientCount);
    response.on('close', () => {
      slot.release();
      subscription.unsubscribe();
      this.metrics.sseClients.set(this.hub.clientCount);
    });
  }

  onModuleDestroy(): void {
    clearInterval(this.#keepalive);
    this.hub.endAll();
  }
}

function parseLastEventId(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  if (!/^\d{1,16}$/.test(text)) throw new BadParameter('Last-Event-ID', `must be the id of an earlier event (a whole number), got ${JSON.stringify(text)}`);
  return Number(text);
}
