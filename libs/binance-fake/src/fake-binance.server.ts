import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { FakeMarket } from './fake-market';
import { handleRest, RestFault, RestHandlerState, RestRequestRecord } from './fake-rest.handler';
import { FakeStreamHub, StreamHubOptions, StreamHubStats } from './fake-stream.hub';
import { loadTapes, RecordingSpec, shiftTapes, SymbolTape } from './recorded-market';
import { WeightLimiter, WeightLimiterOptions } from './weight-limiter';

export interface FakeBinanceOptions {
  /** Recorded trades to serve, one file per symbol. */
  readonly recordings: readonly RecordingSpec[];
  /** Tapes made by the caller (a benchmark's many symbols cut from one recording), served besides the recordings. */
  readonly tapes?: readonly SymbolTape[];
  /** Market time runs at this multiple of real time (1 = as recorded). */
  readonly speed?: number;
  /**
   * `recorded` (default): trades carry their recorded times. `now`: every time is moved by a
   * whole number of minutes (minute boundaries are kept) so that the recording started within
   * the last minute, and the market clock runs on the wall clock: event times look live.
   */
  readonly timeline?: 'recorded' | 'now';
  /** 0 picks a free port. */
  readonly port?: number;
  readonly weights?: WeightLimiterOptions;
  readonly streams?: StreamHubOptions;
}

/** A running fake Binance: its URLs, its market, and the misbehaviour it can be told to show. */
export interface FakeBinance {
  readonly restUrl: string;
  readonly wsUrl: string;
  readonly market: FakeMarket;
  readonly hub: FakeStreamHub;
  readonly limiter: WeightLimiter;
  /** Every REST request answered so far. */
  readonly requests: readonly RestRequestRecord[];
  readonly stats: StreamHubStats;
  /** The next `count` REST answers are `status` with `Retry-After: retryAfterSec`. */
  failNextRequests(status: RestFault['status'], count: number, retryAfterSec: number): void;
  /** Answers 418 to every REST request for `ms`, as an IP ban does. */
  ban(ms: number): void;
  /** Delays every REST answer by `ms` (0 stops it). */
  slowDown(ms: number): void;
  close(): Promise<void>;
}

/**
 * Starts a local fake of Binance's spot market-data API (REST and WebSocket on one port) fed
 * from recorded trades, with a control API under `/fake/` for tests and manual sessions:
 * `POST /fake/drop`, `/fake/drop-every?ms=`, `/fake/silence?ms=`, `/fake/server-shutdown?closeAfterMs=`,
 * `/fake/hostile?count=`, `/fake/fail?status=&count=&retryAfter=`, `/fake/ban?ms=`, `/fake/slow?ms=`,
 * `/fake/pause`, `/fake/resume`; `GET /fake/stats`.
 */
export async function startFakeBinance(options: FakeBinanceOptions): Promise<FakeBinance> {
  let tapes = [...(await loadTapes(options.recordings)), ...(options.tapes ?? [])];
  let startMarketMs: number | undefined;
  if (options.timeline === 'now') {
    const firstMs = Math.min(...tapes.map((tape) => tape.trades[0].tradeTimeMs));
    tapes = shiftTapes(tapes, Math.floor((Date.now() - firstMs) / 60_000) * 60_000);
    startMarketMs = Date.now();
  }
  const market = new FakeMarket(tapes, options.speed ?? 1, Date.now, startMarketMs);
  const limiter = new WeightLimiter(options.weights);
  const hub = new FakeStreamHub(market, options.streams);
  const state: RestHandlerState = { market, limiter, requests: [], delayMs: 0 };
  const fake = {
    market,
    hub,
    limiter,
    requests: state.requests,
    stats: hub.stats,
    failNextRequests(status: RestFault['status'], count: number, retryAfterSec: number) {
      state.fault = { status, remaining: count, retryAfterSec };
    },
    ban(ms: number) {
      limiter.ban(ms, Date.now());
    },
    slowDown(ms: number) {
      state.delayMs = ms;
    },
  };
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    const handled = path.startsWith('/fake/') ? control(request, response, fake) : handleRest(request, response, state);
    handled.catch(() => response.destroy());
  });
  server.on('upgrade', (request, socket, head) => hub.handleUpgrade(request, socket, head));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...fake,
    restUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    close: () => closeServer(server, hub),
  };
}

type Controllable = Pick<FakeBinance, 'market' | 'hub' | 'requests' | 'stats' | 'failNextRequests' | 'ban' | 'slowDown'>;

async function control(request: IncomingMessage, response: ServerResponse, fake: Controllable): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://fake');
  const number = (name: string, fallback: number) => (url.searchParams.has(name) ? Number(url.searchParams.get(name)) : fallback);
  const actions: Record<string, () => unknown> = {
    '/fake/drop': () => ({ dropped: fake.hub.dropConnections() }),
    '/fake/drop-every': () => fake.hub.dropEvery(number('ms', 0) || undefined),
    '/fake/silence': () => fake.hub.silence(number('ms', 10_000)),
    '/fake/server-shutdown': () => fake.hub.serverShutdown(number('closeAfterMs', 1000)),
    '/fake/hostile': () => ({ sent: fake.hub.sendHostileFrames(number('count', 100)).length }),
    '/fake/fail': () => fake.failNextRequests(number('status', 429) as RestFault['status'], number('count', 1), number('retryAfter', 1)),
    '/fake/ban': () => fake.ban(number('ms', 120_000)),
    '/fake/slow': () => fake.slowDown(number('ms', 0)),
    '/fake/pause': () => fake.market.clock.pause(),
    '/fake/resume': () => fake.market.clock.resume(),
  };
  let body: unknown;
  let status = 200;
  if (url.pathname === '/fake/stats' && request.method === 'GET') {
    body = { ...fake.stats, openConnections: fake.hub.openConnections, restRequests: fake.requests.length, marketNowMs: fake.market.clock.marketNowMs() };
  } else if (actions[url.pathname] && request.method === 'POST') {
    body = actions[url.pathname]() ?? { ok: true };
  } else {
    status = 404;
    body = { error: `unknown control ${request.method} ${url.pathname}` };
  }
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function closeServer(server: Server, hub: FakeStreamHub): Promise<void> {
  hub.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
