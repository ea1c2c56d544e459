import type { IncomingMessage, ServerResponse } from 'node:http';
import { isCoinMarginedSymbol } from '@cryptostream/market-data';
import { FakeMarket } from './fake-market';
import { fixed, KLINE_INTERVALS_MS, klinesOf } from './klines';
import { WeightLimiter } from './weight-limiter';

/** One REST request the fake answered, for tests to inspect. */
export interface RestRequestRecord {
  readonly atMs: number;
  readonly path: string;
  readonly query: string;
  readonly status: number;
  readonly usedWeight: number;
}

/** A fault injected into the next REST answers. */
export interface RestFault {
  status: 429 | 418 | 500 | 503;
  remaining: number;
  retryAfterSec: number;
}

export interface RestHandlerState {
  readonly market: FakeMarket;
  readonly limiter: WeightLimiter;
  readonly requests: RestRequestRecord[];
  fault?: RestFault;
  /** Every answer is delayed by this much. */
  delayMs: number;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Request weights of Binance spot's market-data endpoints. */
const WEIGHTS = { ping: 1, time: 1, tickerOne: 2, tickerMany: 4, aggTrades: 4, klines: 2, trades: 25, exchangeInfo: 20 } as const;

/**
 * Answers Binance spot's market-data REST endpoints from the recorded market:
 * `/api/v3/ping`, `/api/v3/time`, `/api/v3/ticker/price`, `/api/v3/aggTrades`,
 * `/api/v3/historicalTrades`, `/api/v3/klines`, with `X-MBX-USED-WEIGHT-1M` on every answer;
 * and the three markets' `exchangeInfo`: `/api/v3/exchangeInfo` (spot), `/fapi/v1/exchangeInfo`
 * (USDⓈ-M) and `/dapi/v1/exchangeInfo` (COIN-M, with each contract's `contractSize`). One fake
 * serves them all: COIN-M symbols (`…USD_PERP`) are the COIN-M market, the others spot and USDⓈ-M.
 */
export async function handleRest(request: IncomingMessage, response: ServerResponse, state: RestHandlerState): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://fake');
  const now = Date.now();
  let status = 200;
  let usedWeight = 0;
  if (state.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
  try {
    const route = ROUTES[url.pathname];
    if (!route || request.method !== 'GET') throw new ApiError(404, -1000, 'Unknown endpoint.');
    const weight = route.weight(url.searchParams);
    const decision = state.limiter.request(weight, now);
    usedWeight = decision.usedWeight;
    response.setHeader('X-MBX-USED-WEIGHT-1M', String(decision.usedWeight));
    if (state.fault && state.fault.remaining > 0) {
      state.fault.remaining -= 1;
      response.setHeader('Retry-After', String(state.fault.retryAfterSec));
      throw new ApiError(state.fault.status, -1003, faultMessage(state.fault.status, now + state.fault.retryAfterSec * 1000));
    }
    if (!decision.ok) {
      response.setHeader('Retry-After', String(decision.retryAfterSec));
      throw new ApiError(decision.status, -1003, faultMessage(decision.status, decision.untilMs));
    }
    send(response, 200, route.answer(url.searchParams, state.market));
  } catch (error) {
    const apiError = error instanceof ApiError ? error : new ApiError(500, -1000, 'An unknown error occurred while processing the request.');
    status = apiError.status;
    send(response, apiError.status, { code: apiError.code, msg: apiError.message });
  } finally {
    state.requests.push({ atMs: now, path: url.pathname, query: url.search, status, usedWeight });
  }
}

interface Route {
  weight(params: URLSearchParams): number;
  answer(params: URLSearchParams, market: FakeMarket): unknown;
}

const ROUTES: Record<string, Route> = {
  '/api/v3/ping': { weight: () => WEIGHTS.ping, answer: () => ({}) },
  '/api/v3/time': { weight: () => WEIGHTS.time, answer: () => ({ serverTime: Date.now() }) },
  '/api/v3/ticker/price': {
    weight: (params) => (params.has('symbol') ? WEIGHTS.tickerOne : WEIGHTS.tickerMany),
    answer: (params, market) => {
      if (params.has('symbol') && params.has('symbols')) throw new ApiError(400, -1128, 'Combination of optional parameters invalid.');
      const ticker = (symbol: string) => ({ symbol, price: fixed(market.lastPrice(symbol)) });
      if (params.has('symbol')) return ticker(knownSymbol(params.get('symbol'), market));
      if (params.has('symbols')) return parseSymbols(params.get('symbols') ?? '').map((symbol) => ticker(knownSymbol(symbol, market)));
      return market.symbols().map(ticker);
    },
  },
  '/api/v3/aggTrades': {
    weight: () => WEIGHTS.aggTrades,
    answer: (params, market) => {
      const symbol = knownSymbol(params.get('symbol'), market);
      const limit = limitOf(params, 500, 1000);
      const visible = market.visibleAggTrades(symbol);
      let rows = visible;
      if (params.has('fromId')) {
        const fromId = integer(params, 'fromId');
        rows = visible.filter((agg) => agg.a >= fromId);
      } else if (params.has('startTime') || params.has('endTime')) {
        const start = params.has('startTime') ? integer(params, 'startTime') : 0;
        const end = params.has('endTime') ? integer(params, 'endTime') : Number.MAX_SAFE_INTEGER;
        if (params.has('startTime') && params.has('endTime') && end - start > 3_600_000) throw new ApiError(400, -1127, 'More than 1 hours between startTime and endTime.');
        rows = visible.filter((agg) => agg.T >= start && agg.T <= end);
      } else {
        rows = visible.slice(-limit);
      }
      return rows.slice(0, limit).map(({ a, p, q, f, l, T, m }) => ({ a, p: fixed(p), q: fixed(q), f, l, T, m, M: true }));
    },
  },
  '/api/v3/historicalTrades': {
    weight: () => WEIGHTS.trades,
    answer: (params, market) => {
      const symbol = knownSymbol(params.get('symbol'), market);
      const limit = limitOf(params, 500, 1000);
      const visible = market.visibleTrades(symbol);
      const rows = params.has('fromId') ? visible.filter((trade) => trade.tradeId >= integer(params, 'fromId')).slice(0, limit) : visible.slice(-limit);
      return rows.map((trade) => ({
        id: trade.tradeId, price: fixed(trade.price), qty: fixed(trade.quantity), quoteQty: '0', time: trade.tradeTimeMs, isBuyerMaker: trade.isBuyerMaker, isBestMatch: true,
      }));
    },
  },
  '/api/v3/exchangeInfo': {
    weight: () => WEIGHTS.exchangeInfo,
    answer: (_params, market) => exchangeInfo(market.symbols().filter((symbol) => !isCoinMarginedSymbol(symbol)).map((symbol) => ({
      symbol, status: 'TRADING', ...assetsOf(symbol, 'USDT'), isSpotTradingAllowed: true,
    }))),
  },
  '/fapi/v1/exchangeInfo': {
    weight: () => 1,
    answer: (_params, market) => exchangeInfo(market.symbols().filter((symbol) => !isCoinMarginedSymbol(symbol)).map((symbol) => ({
      symbol, pair: symbol, contractType: 'PERPETUAL', status: 'TRADING', ...assetsOf(symbol, 'USDT'), marginAsset: 'USDT',
    }))),
  },
  '/dapi/v1/exchangeInfo': {
    weight: () => 1,
    answer: (_params, market) => exchangeInfo(market.symbols().filter(isCoinMarginedSymbol).map((symbol) => {
      const { baseAsset, quoteAsset } = assetsOf(symbol.replace(/_.*$/, ''), 'USD');
      return {
        symbol, pair: `${baseAsset}${quoteAsset}`, contractType: symbol.endsWith('_PERP') ? 'PERPETUAL' : 'CURRENT_QUARTER', contractStatus: 'TRADING',
        baseAsset, quoteAsset, marginAsset: baseAsset,
        // Binance's COIN-M contracts are worth 100 USD for BTC and 10 USD for every other coin.
        contractSize: baseAsset === 'BTC' ? 100 : 10,
      };
    })),
  },
  '/api/v3/klines': {
    weight: () => WEIGHTS.klines,
    answer: (params, market) => {
      const symbol = knownSymbol(params.get('symbol'), market);
      const intervalMs = KLINE_INTERVALS_MS[params.get('interval') ?? ''];
      if (!intervalMs) throw new ApiError(400, -1120, 'Invalid interval.');
      const start = params.has('startTime') ? integer(params, 'startTime') : 0;
      const end = params.has('endTime') ? integer(params, 'endTime') : Number.MAX_SAFE_INTEGER;
      return klinesOf(market.visibleAggTrades(symbol), intervalMs, start, end, limitOf(params, 500, 1000));
    },
  },
};

function exchangeInfo(symbols: object[]): unknown {
  return { timezone: 'UTC', serverTime: Date.now(), rateLimits: [], exchangeFilters: [], symbols };
}

function assetsOf(symbol: string, quote: string): { baseAsset: string; quoteAsset: string } {
  return symbol.endsWith(quote) ? { baseAsset: symbol.slice(0, -quote.length), quoteAsset: quote } : { baseAsset: symbol, quoteAsset: quote };
}

function knownSymbol(symbol: string | null, market: FakeMarket): string {
  if (!symbol) throw new ApiError(400, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
  if (!market.has(symbol)) throw new ApiError(400, -1121, 'Invalid symbol.');
  return symbol;
}

/** `symbols=["BTCUSDT","ETHUSDT"]`, as Binance wants it (a JSON array, URL-encoded). */
function parseSymbols(text: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiError(400, -1100, "Illegal characters found in parameter 'symbols'; legal range is '^\\[(\"[A-Z0-9-_.]{1,20}\"(,\"[A-Z0-9-_.]{1,20}\"){0,}){0,1}\\]$'.");
  }
  if (!Array.isArray(parsed) || parsed.some((symbol) => typeof symbol !== 'string')) throw new ApiError(400, -1100, "Illegal characters found in parameter 'symbols'.");
  return parsed as string[];
}

function integer(params: URLSearchParams, name: string): number {
  const value = Number(params.get(name));
  if (!Number.isSafeInteger(value) || value < 0) throw new ApiError(400, -1100, `Illegal characters found in parameter '${name}'; legal range is '^[0-9]{1,20}$'.`);
  return value;
}

function limitOf(params: URLSearchParams, fallback: number, max: number): number {
  if (!params.has('limit')) return fallback;
  const limit = integer(params, 'limit');
  if (limit < 1 || limit > max) throw new ApiError(400, -1130, "Invalid data sent for a parameter.");
  return limit;
}

function faultMessage(status: number, untilMs: number): string {
  if (status === 418) return `Way too many requests; IP(127.0.0.1) banned until ${untilMs}. Please use the websocket for live updates to avoid bans.`;
  if (status === 429) return 'Too many requests; current limit of IP(127.0.0.1) is 6000 requests per minute. Please use the websocket for live updates to avoid polling the API.';
  return 'Service unavailable.';
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}
